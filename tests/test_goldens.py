"""Every example and fixture previews (or is refused) exactly as the goldens say: refactorings keep behaviour.

Regenerate with `python tools/regen_goldens.py` only for a change meant to alter the output.
"""

import pytest

from tests.golden_support import GOLDENS, GoldenCase, golden_cases, render_case

CASES = golden_cases()


def test_every_case_has_a_golden() -> None:
    assert sorted(p.name for p in GOLDENS.iterdir()) == sorted(c.golden_name for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[str(c.config) for c in CASES])
def test_output_matches_golden(case: GoldenCase) -> None:
    expected = (GOLDENS / case.golden_name).read_text(encoding="utf-8")
    assert render_case(case) == expected
