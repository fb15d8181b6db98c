"""The rules themselves: one module per section of the funding rules (and one for the account
access rules), each rule a small function registered with the paragraph it encodes.

The modules, in the order of the text: `programme` (3, 10 to 12, 25, 39, 50, 124, 129),
`eligibility` (21 to 24, 26.1), `employment` (27 to 30, 127), `learning_support` (31 to 35),
`delivery_hours` (46 to 55, 137), `milestones` (54 to 64, 72, 89, 91), `funding_route` (71, 96),
`co_investment` (73 to 75, 92 to 95, 108 to 120), `reservations` (84 to 88), `transfers`
(106 to 121), `withdrawal` (125, 126), `change_of_circumstance` (128 to 131),
`parental_leave` (131 to 137), `audits` (54) and `access` (76 to 81 and the access guide).

Importing this package imports none of them: `aurules.model.rulebook` imports every module
so that their rules register, and is what the engines ask for the rules.
"""
