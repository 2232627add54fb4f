"""Skill names normalised with the taxonomy: spellings, abbreviations, family names, unknown skills, labels."""
import pytest

from core.knowledge.skill_names import canonical_skill, default_label, skill_key, skill_keys


@pytest.mark.parametrize("spelling", ["JavaScript", "javascript", " JAVASCRIPT ", "Java Script", "JS", "js",
                                      "Javascript.", "javascript and typescript"])
def test_spellings_of_javascript_share_one_key(spelling):
    assert skill_key(spelling) == "javascript"


@pytest.mark.parametrize(("abbreviation", "key"), [
    ("ML", "machine learning"), ("TS", "typescript"), ("k8s", "kubernetes"), ("K8S", "kubernetes"),
    ("NLP", "natural language processing"), ("AI", "artificial intelligence"), ("HPC", "high performance computing"),
    ("i18n", "internationalisation"), ("a11y", "accessibility"), ("SRE", "site reliability engineering"),
])
def test_abbreviations_the_taxonomy_lists_become_the_longer_alias(abbreviation, key):
    assert skill_key(abbreviation) == key


@pytest.mark.parametrize(("family_name", "key"), [
    ("python programming", "python"), ("frontend development", "frontend"), ("rust programming", "rust"),
    ("kubernetes and containers", "kubernetes"),
])
def test_a_family_name_from_posting_prose_collapses_to_its_head_alias(family_name, key):
    assert skill_key(family_name) == key


@pytest.mark.parametrize(("spelling", "key"), [
    ("React.js", "react"), ("ReactJS", "react"), ("react js", "react"), ("Node.js", "nodejs"), ("NodeJS", "nodejs"),
    ("Front End", "frontend"), ("front-end", "frontend"), ("Dev-Ops", "devops"), ("Machine-Learning",
                                                                                  "machine learning"),
])
def test_spellings_that_differ_by_spaces_punctuation_or_a_js_suffix_are_one_skill(spelling, key):
    assert skill_key(spelling) == key


def test_a_long_form_of_a_family_named_by_its_abbreviation_becomes_the_abbreviation():
    assert skill_key("Amazon Web Services") == skill_key("AWS") == "aws"
    assert skill_key("Structured Query Language") == "sql"


def test_a_skill_the_taxonomy_lacks_stays_its_own_node_without_a_family():
    assert canonical_skill("Basket-Weaving ") == canonical_skill("basket weaving")
    skill = canonical_skill("Basket weaving")
    assert (skill.key, skill.label, skill.family) == ("basket weaving", "Basket Weaving", None)


def test_a_known_skill_carries_its_taxonomy_family():
    assert canonical_skill("Django").family == "backend development"  # listed in two families: the first one
    assert canonical_skill("ML").family == "machine learning"


@pytest.mark.parametrize("junk", ["", "   ", "---", "123", "!!", None])
def test_empty_or_junk_phrases_have_no_skill(junk):
    assert canonical_skill(junk) is None and skill_key(junk) == ""


def test_a_very_long_phrase_is_cut_at_a_word_boundary_to_the_key_length():
    key = skill_key("distributed " * 30)
    assert len(key) <= 120 and key.endswith("distributed")


@pytest.mark.parametrize(("key", "label"), [
    ("sql", "SQL"), ("aws", "AWS"), ("gcp", "GCP"), ("html", "HTML"), ("ux", "UX"), ("python", "Python"),
    ("machine learning", "Machine Learning"), ("c and c++ programming", "C and C++ Programming"),
    ("natural language processing", "Natural Language Processing"), ("kubernetes", "Kubernetes"),
])
def test_default_labels_capitalise_words_and_keep_abbreviations_upper(key, label):
    assert default_label(key) == label


def test_skill_keys_of_a_profile_are_distinct_in_first_order():
    assert skill_keys(["JS", "Python", "javascript", "", "ML"]) == ["javascript", "python", "machine learning"]


def test_the_alumni_upload_stores_the_keys_of_the_skills_for_search():
    from core.alumni.alumni import validate_alumnus

    row, errors = validate_alumnus({"email": "a@x.io", "name": "Ana", "skills": "JS; Python, k8s; JavaScript"})
    assert not errors and row["skill_keys"] == ["javascript", "python", "kubernetes"]


def test_a_key_and_a_label_name_the_same_skill_again_for_every_taxonomy_phrase():
    from core.knowledge.taxonomy import CONCEPTS

    for phrase in (p for family, aliases in CONCEPTS.items() for p in (family, *aliases)):
        skill = canonical_skill(phrase)
        assert skill_key(skill.key) == skill_key(skill.label) == skill.key, phrase
