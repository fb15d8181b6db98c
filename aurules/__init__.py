"""aurules: a property-tested formal model of the apprenticeship unit funding rules."""

__version__ = "0.1.0"
