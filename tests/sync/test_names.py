from cleverwizard.rules.names import first_name_variants, fold, is_valid_email, name_words, normalise_email


def test_fold_removes_accents_case_hyphens_and_apostrophes() -> None:
    assert fold("José Núñez-O'Brien") == "jose nunez obrien"
    assert fold("  ZOË   Müller ") == "zoe muller"


def test_name_words_drops_suffixes() -> None:
    assert name_words("Robert", "Smith Jr.") == ("robert", "smith")
    assert name_words(None, "Lee") == ("lee",)


def test_nicknames_go_both_ways() -> None:
    assert "bob" in first_name_variants("Robert")
    assert "robert" in first_name_variants("Bob")
    assert first_name_variants(None) == frozenset()


def test_email_rules() -> None:
    assert normalise_email("  Ann.Lee@School.ORG ") == "ann.lee@school.org"
    assert normalise_email("   ") is None
    assert is_valid_email("a@b.org")
    for bad in ("", None, "no-at-sign.org", "two@@b.org", "a@b", "a b@c.org"):
        assert not is_valid_email(bad)
