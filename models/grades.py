"""Grades as the district numbers them: -1 is pre-K, 0 kindergarten, 1 to 12."""

GRADE_MIN, GRADE_MAX = -1, 12
GRADES = range(GRADE_MIN, GRADE_MAX + 1)
GRADE_HINT = "-1 (pre-K), 0 (K) or 1 to 12"


def grade_short(grade: int) -> str:
    """ "Pre-K", "K", "3": for ranges."""
    return {-1: "Pre-K", 0: "K"}.get(grade, str(grade))


def grade_long(grade: int) -> str:
    """ "Pre-K", "Kindergarten", "Grade 3": for a grade on its own."""
    return {-1: "Pre-K", 0: "Kindergarten"}.get(grade, f"Grade {grade}")


def grade_range(low: int, high: int) -> str:
    """A grade range as families read it: "Pre-K–5", "K–8", "9–12", "3"."""
    if low == high:
        return grade_short(low)
    return f"{grade_short(low)}–{grade_short(high)}"
