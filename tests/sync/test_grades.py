from cleverwizard.rules.grades import NO_GRADE, grade_label, group_by_grade


def test_groups_follow_school_order_with_no_grade_last() -> None:
    grades = ["12", "Kindergarten", "", "3", None, "PreKindergarten", "13", "Ungraded", "PostGraduate", "Other", "1"]
    people = [(f"p{i}", g) for i, g in enumerate(grades)]
    labels = [label for label, _ in group_by_grade(people, lambda p: p[1], lambda p: p[0])]
    assert labels == [
        "PreKindergarten",
        "Kindergarten",
        "Grade 1",
        "Grade 3",
        "Grade 12",
        "Grade 13",
        "PostGraduate",
        "Ungraded",
        "Other",
        NO_GRADE,
    ]


def test_empty_and_null_grade_share_one_group_sorted_by_name() -> None:
    people = [("zed", None), ("amy", "")]
    groups = group_by_grade(people, lambda p: p[1], lambda p: p[0])
    assert groups == [(NO_GRADE, [("amy", ""), ("zed", None)])]
    assert grade_label("Kindergarten") == "Kindergarten"
    assert grade_label("7") == "Grade 7"
