"""The catalogue lists every paragraph of both texts, and agrees with the code."""

from __future__ import annotations

from aurules.model.catalogue import STATUSES, catalogue, problems
from aurules.model.parameters import declared
from aurules.model.rulebook import start_rules

FUNDING_RULE_IDS = """
1 2 2.1 2.2 3 4 5 6 7 8 9 10 11 12 13 13.1 13.2 14 14.1 14.2 14.3 15 16 17 18 18.1 18.2 18.3
19 20 21 21.1 21.2 21.3 21.4 22 22.1 22.2 22.3 22.4 22.5 22.5.1 23 23.1 24 24.1 24.2 24.3
24.3.1 24.4 24.5 24.5.1 24.5.2 24.5.3 24.6 24.7 25 26 26.1 26.2 26.3 27 27.1 27.1.1 27.1.2
27.2 28 28.1 29 30 31 31.1 32 33 34 34.1 34.1.1 34.1.2 34.1.3 34.2 34.2.1 34.2.2 34.2.3 35
35.1 35.2 35.2.1 35.3 35.4 36 36.1 37 37.1 37.2 37.3 37.4 38 38.1 38.2 38.3 39 40 41 42 43 44
44.1 44.2 45 45.1 45.2 45.3 46 46.1 47 48 48.1 49 50 50.1 50.2 50.3 51 52 53 53.1 54 54.1 54.2
55 56 56.1 56.2 56.3 56.4 56.5 56.6 56.7 56.8 56.9 57 58 59 60 61 61.1 61.2 61.3 61.4 62 63
63.1 63.2 63.3 64 65 65.1 65.2 65.2.1 65.2.2 65.2.3 65.3 65.4 65.4.1 65.4.2 65.5 66 67 68 68.1
68.1.1 68.1.2 68.1.3 68.1.4 68.1.5 68.1.6 68.2 68.2.1 68.2.2 68.2.3 68.2.4 68.2.5 68.2.6
68.2.7 68.2.8 68.2.9 68.3 68.4 68.5 68.6 69 71 72 72.1 72.2 73 74 75 76 76.1 76.2 77 78 78.1
78.2 78.2.1 78.2.2 78.2.3 79 80 81 81.1 82 82.1 83 84 85 86 86.1 86.2 87 88 89 89.1 89.2 90 91
92 93 93.1 94 94.1 95 95.1 96 96.1 97 98 99 100 101 102 103 104 105 106 106.1 107 108 109 110
111 112 113 114 115 116 117 117.1 117.2 117.3 118 119 120 121 122 123 124 125 126 126.1 126.2
127 128 129 130 131 132 132.1 132.2 133 133.1 134 134.1 135 136 136.1 136.2 137 138 139 140
141 142 142.1 142.2 142.3 143 144 144.1 144.2 144.3 145 146 147 148 149
""".split()  # noqa: SIM905 - the ids as they read in the text
"""Every numbered paragraph of the funding rules, in text order (read off the text; the
text's "5.3.1" is 53.1 and there is no 70)."""

ACCESS_GUIDE_IDS = ["access-0", "access-1", "access-2", "access-3"]


def test_catalogue_lists_every_paragraph_of_both_texts_in_order() -> None:
    assert [*FUNDING_RULE_IDS, *ACCESS_GUIDE_IDS] == [e.paragraph for e in catalogue()]


def test_catalogue_agrees_with_the_code() -> None:
    assert [] == problems()


def test_every_catalogue_entry_has_a_known_status_and_a_summary() -> None:
    offenders = [
        e.paragraph for e in catalogue() if e.status not in STATUSES or len(e.summary) < 10
    ]
    assert [] == offenders


def test_every_paragraph_a_rule_reports_is_encoded_in_the_catalogue() -> None:
    status = {e.paragraph: e.status for e in catalogue()}
    offenders = [
        (r.name, p)
        for r in start_rules()
        for p in (*r.paragraphs, *r.cites)
        if status.get(p) != "encoded"
    ]
    assert [] == offenders


def test_every_parameter_has_a_paragraph_in_the_catalogue_a_unit_and_a_description() -> None:
    ids = {e.paragraph for e in catalogue()}
    offenders = [
        info.key
        for info in declared()
        if not info.unit
        or len(info.description) < 10
        or any(p.strip() not in ids for p in info.paragraph.split(","))
    ]
    assert [] == offenders


def test_every_rule_has_a_paragraph_and_a_summary() -> None:
    offenders = [r.where for r in start_rules() if not r.paragraphs or len(r.summary) < 10]
    assert [] == offenders
