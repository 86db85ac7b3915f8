"""The practice marker: credits with the passage that earned them, misconceptions with their
corrections, the same answer always marked the same way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.marking import Point, correction_for, mark, sentences, stem, terms

POINTS = [
    Point(
        1,
        "Award credit for providing realistic, organisation-specific solutions to complaints, showing "
        "awareness of constraints like policy and resource limits.",
    ),
    Point(
        2,
        "Expect detailed explanation of relevant legislation (e.g., Consumer Rights Act, Data Protection) "
        "and its direct impact on service delivery processes.",
    ),
    Point(
        3,
        "Look for evidence that proposed changes are measurable (e.g., using KPIs) and aligned with "
        "organisational goals.",
    ),
]
MISCONCEPTIONS = [
    Point(
        1,
        "Assuming all complaints can be resolved without considering organisational policies or financial limitations.",
    ),
    Point(
        2,
        "Overlooking resource limitations (time, budget, staff) when proposing improvements, leading to "
        "unrealistic plans.",
    ),
    Point(
        3, "Confusing organisational rules with legislative requirements, or failing to distinguish between the two."
    ),
]


def test_a_covered_point_is_credited_with_the_sentence_that_earned_it():
    answer = (
        "Hello. My refund limit is £100, so I offered a realistic solution within our policy and escalated "
        "the rest of the complaint to my team leader. Thanks."
    )

    result = mark(answer, POINTS)

    assert result.credited == {1}
    assert result.credits[0].quote == sentences(answer)[1]
    # The reason names the learner's own words, not the marker's internal terms.
    assert result.credits[0].matched == ("limit", "realistic", "solution", "policy", "complaint")


def test_listing_laws_is_not_explaining_their_impact():
    assert mark("The laws are the Consumer Rights Act and GDPR.", POINTS).credited == set()
    explained = (
        "The Consumer Rights Act 2015 means our returns process offers a refund within 30 days, and data "
        "protection law changes how we deliver service on the phone because we check identity first."
    )
    assert mark(explained, POINTS).credited == {2}


def test_a_repeated_misconception_is_flagged_with_its_correction():
    result = mark(
        "Every complaint can be resolved if you try hard enough, whatever the policy says.", POINTS, MISCONCEPTIONS
    )

    assert [f.number for f in result.flags] == [1]
    assert result.flags[0].correction == (
        "Do not assume all complaints can be resolved without considering organisational policies or "
        "financial limitations."
    )


def test_denying_a_misconception_is_not_repeating_it():
    result = mark(
        "Not all complaints can be resolved: our policy and financial limits come first.", POINTS, MISCONCEPTIONS
    )
    assert result.flags == ()


def test_waving_away_what_must_not_be_overlooked_is_flagged():
    result = mark(
        "We should open all night. Budget and staffing do not matter when we improve the service.",
        POINTS,
        MISCONCEPTIONS,
    )
    assert [f.number for f in result.flags] == [2]
    assert result.flags[0].quote == "Budget and staffing do not matter when we improve the service."


def test_equating_two_things_to_keep_apart_is_flagged_but_contrasting_them_is_not():
    same = mark("Our refund policy and the Consumer Rights Act are the same thing.", POINTS, MISCONCEPTIONS)
    apart = mark("Our refund policy is different from the Consumer Rights Act.", POINTS, MISCONCEPTIONS)
    assert [f.number for f in same.flags] == [3]
    assert apart.flags == ()


def test_corrections_are_worded_from_the_misconception():
    assert (
        correction_for(
            "Overlooking the indirect impact of back-office functions, assuming only front-line staff matter."
        )
        == "Remember the indirect impact of back-office functions."
    )
    assert correction_for("Failing to differentiate between proactive and reactive strategies.") == (
        "Remember to differentiate between proactive and reactive strategies."
    )
    assert correction_for("Relying on instinct.") == "Avoid this common mistake: relying on instinct."


def test_words_fold_to_one_stem_or_concept():
    assert stem("complaints") == stem("complaint")
    assert terms("listening listened") == ["listen", "listen"]
    assert terms("legislation law statute") == ["law", "law", "law"]
    assert terms("Service Level Agreements") == ["sla"]
    assert "dataprotection" in terms("GDPR")


def test_acronyms_defined_by_the_key_concepts_count_as_what_they_stand_for():
    point = [Point(1, "Award credit for applying hearing, empathising and apologising to a complaint.")]
    concepts = ["Complaint handling: the HEAT model (Hear, Empathise, Apologise, Take ownership)."]
    answer = "I used HEAT with Mr Patel, so he felt his complaint was taken seriously and stayed with us."
    assert mark(answer, point, concepts=concepts).credited == {1}
    assert mark(answer, point).credited == set()


@given(st.text(max_size=600))
def test_any_text_is_marked_the_same_way_twice_and_only_against_the_points_given(text):
    first = mark(text, POINTS, MISCONCEPTIONS)
    assert first == mark(text, POINTS, MISCONCEPTIONS)
    assert first.credited <= {1, 2, 3}
    for credit in first.credits:
        assert credit.quote in " ".join(sentences(text)) or all(part in text for part in credit.quote.split(" "))
    for flag in first.flags:
        assert flag.quote in text


def test_doing_something_is_not_claiming_it_is_all_that_is_needed():
    apology_alone = [Point(1, "Assuming that an apology alone resolves a complaint.")]
    assert mark("I gave a clear apology for the complaint.", [], apology_alone).flags == ()
    flagged = mark("An apology alone resolves any complaint.", [], apology_alone).flags
    assert [f.number for f in flagged] == [1]
