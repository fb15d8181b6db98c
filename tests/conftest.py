"""Test set-up: the Hypothesis profile (`ci` under CI, else $AURULES_PROFILE or `dev`)."""

from aurules.properties import profiles

profiles.load()
