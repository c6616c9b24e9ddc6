from cleverwizard.rules.teachers import name_score, search, search_options, suggest_teacher_matches
from cleverwizard.store.models import MatchDecision
from tests.sync.factories import clever_teacher, teacher


def test_unique_exact_email_is_a_confident_match_whatever_the_case() -> None:
    ann = clever_teacher("Ann", "Lee", "ann.lee@school.org")
    rows = suggest_teacher_matches([teacher(1, "Annie", "Lee", "ANN.LEE@school.org")], [ann], {})
    assert rows[0].suggested == ann.id
    assert rows[0].suggestion is not None and rows[0].suggestion.reason == "same email"


def test_shared_email_is_not_confident() -> None:
    a = clever_teacher("Ann", "Lee", "office@school.org")
    b = clever_teacher("Bo", "Kim", "office@school.org")
    rows = suggest_teacher_matches([teacher(1, "Zed", "Zulu", "office@school.org")], [a, b], {})
    assert rows[0].suggested is None
    assert all(c.reason != "same email" for c in rows[0].candidates)


def test_sis_id_match() -> None:
    c = clever_teacher("Maria", "Gomez", "mg@school.org", sis_id="T-100")
    rows = suggest_teacher_matches([teacher(1, "Mary", "Smith", "old@home.net", sis_id="T-100")], [c], {})
    assert rows[0].suggested == c.id and rows[0].suggestion.reason == "same SIS id"  # type: ignore[union-attr]


def test_nickname_is_suggested_but_not_confident() -> None:
    bob = clever_teacher("Robert", "Johnson", "rjohnson@school.org")
    rows = suggest_teacher_matches([teacher(1, "Bob", "Johnson", "bob@gmail.com")], [bob], {})
    assert rows[0].suggested == bob.id
    assert rows[0].suggestion is not None and not rows[0].suggestion.confident


def test_michael_and_michelle_are_ambiguous_so_nothing_is_preselected() -> None:
    michael = clever_teacher("Michael", "Brown")
    michelle = clever_teacher("Michelle", "Brown")
    rows = suggest_teacher_matches([teacher(1, "Michel", "Brown")], [michael, michelle], {})
    assert rows[0].suggested is None
    assert {c.clever_id for c in rows[0].candidates} == {michael.id, michelle.id}


def test_accents_and_word_order_do_not_hide_a_match() -> None:
    jose = clever_teacher("José", "García-López")
    assert name_score(teacher(1, "Jose", "Garcia Lopez"), jose) >= 95


def test_a_clever_teacher_is_suggested_once_exact_match_wins() -> None:
    kate = clever_teacher("Katherine", "Olsen", "kolsen@school.org")
    rows = suggest_teacher_matches(
        [teacher(1, "Kate", "Olsen", "kate@home.net"), teacher(2, "K", "Olsen", "kolsen@school.org")], [kate], {}
    )
    by_id = {row.account.id: row for row in rows}
    assert by_id[2].suggested == kate.id
    assert by_id[1].suggested is None


def test_saved_decisions_win_including_not_in_the_list() -> None:
    ann = clever_teacher("Ann", "Lee", "ann@school.org")
    decisions = {1: MatchDecision(account_id=1, clever_id=None, method="not_in_list")}
    rows = suggest_teacher_matches([teacher(1, "Ann", "Lee", "ann@school.org")], [ann], decisions)
    assert rows[0].suggested is None and rows[0].decided


def test_search_matches_every_word_in_name_email_or_sis_id() -> None:
    people = [
        clever_teacher("Zoë", "Müller", "zm@school.org", sis_id="T-9"),
        clever_teacher("Ann", "Lee", "al@school.org"),
    ]
    options = search_options(people)
    assert [o.clever_id for o in search(options, "zoe mul")] == [people[0].id]
    assert [o.clever_id for o in search(options, "t-9")] == [people[0].id]
    assert len(search(options, "")) == 2
    assert search(options, "nobody") == []


def test_search_is_capped() -> None:
    options = search_options([clever_teacher("Ann", f"Lee{i}") for i in range(200)])
    assert len(search(options, "ann", limit=50)) == 50


def test_the_name_index_scores_like_name_score() -> None:
    from cleverwizard.rules.teachers import NameIndex

    people = [
        clever_teacher("Robert", "Johnson"),
        clever_teacher("José", "García-López"),
        clever_teacher("Michelle", "Brown"),
        clever_teacher(None, "Lee"),
    ]
    index = NameIndex(people)
    for account in (teacher(1, "Bob", "Johnson"), teacher(2, "Jose", "Garcia Lopez"), teacher(3, "Michael", "Brown")):
        expected = {u.id: s for u in people if (s := name_score(account, u)) >= 50}
        assert index.scores(account) == expected
