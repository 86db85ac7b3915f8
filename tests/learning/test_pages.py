"""The learning pages: units, questions, marked answers and overrides, portfolios and exports."""

from __future__ import annotations

import csv
import io

import pytest

from rapport.learning.models import Answer, Evidence, MarkOverride, Question, SignOff
from rapport.learning.services import answer_submit, evidence_add, evidence_sign_off
from tests.conftest import make_user
from tests.learning.conftest import GOOD_ANSWER
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(question, agent, now):
    return answer_submit(actor=agent, question=question, text=GOOD_ANSWER, now=now)


def test_staff_browse_units_and_customers_cannot(unit, agent, customer_user, customer, django_assert_num_queries):
    customer_client = signed_in(customer_user)
    client = signed_in(agent)
    client.get("/learning/")  # warm the session and nav
    with django_assert_num_queries(6):
        page = client.get("/learning/")

    assert page.status_code == 200
    assert unit.title in page.content.decode()
    assert customer_client.get("/learning/").status_code == 404
    assert customer_client.get(f"/learning/units/{unit.pk}/").status_code == 404


def test_each_key_concept_links_to_where_it_is_practised(unit, agent):
    html = signed_in(agent).get(f"/learning/units/{unit.pk}/").content.decode()

    assert '<a href="/complaints/">Complaint workflow (HEAT)</a>' in html
    assert '<a href="/privacy/">Data requests (UK GDPR)</a>' in html
    assert '<a href="/feedback/">Improvement and feedback (PDCA)</a>' in html
    assert html.count("<h1>") == 1


def test_a_team_leader_writes_a_question_and_an_agent_may_not(unit, team_leader, agent):
    data = {"title": "Refund beyond my limit", "situation": "A customer wants £500 back.", "task": "What do you do?"}

    refused = signed_in(agent).post(f"/learning/units/{unit.pk}/", data)
    incomplete = signed_in(team_leader).post(f"/learning/units/{unit.pk}/", {**data, "task": " "})
    added = signed_in(team_leader).post(f"/learning/units/{unit.pk}/", data)

    assert refused.status_code == 404
    assert incomplete.status_code == 422
    assert "There is a problem" in incomplete.content.decode()
    assert added.status_code == 302
    assert Question.objects.get().title == "Refund beyond my limit"


def test_an_answer_is_marked_with_the_quote_that_earned_each_point(question, agent):
    response = signed_in(agent).post(f"/learning/questions/{question.pk}/", {"text": GOOD_ANSWER})

    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/learning/answers/{answer.pk}/"
    html = signed_in(agent).get(response["Location"]).content.decode()
    assert "3 of 3" in html
    assert '<blockquote class="learning-quote">I let Mrs Shah tell me the whole story without interrupting' in html


def test_a_repeated_misconception_is_shown_with_its_correction(question, agent, now):
    answer = answer_submit(
        actor=agent, question=question, text="Goodwill gestures and legal entitlements are the same thing.", now=now
    )

    html = signed_in(agent).get(f"/learning/answers/{answer.pk}/").content.decode()

    assert "Repeats a common misconception" in html
    assert "Do not confuse goodwill gestures with legal entitlements." in html


def test_an_empty_answer_is_refused_and_nothing_kept(question, agent):
    response = signed_in(agent).post(f"/learning/questions/{question.pk}/", {"text": "   "})

    assert response.status_code == 422
    assert Answer.objects.count() == 0


def test_the_learners_team_leader_overrides_a_mark_with_a_reason(answer, team_leader, agent):
    point = answer.question.unit.marking_points.get(position=3)
    client = signed_in(team_leader)

    no_reason = client.post(f"/learning/answers/{answer.pk}/override/", {"point": point.pk, "credited": "no"})
    done = client.post(
        f"/learning/answers/{answer.pk}/override/",
        {"point": point.pk, "credited": "no", "reason": "Logging is not yet improving anything."},
    )

    assert no_reason.status_code == 422
    assert done.status_code == 302
    assert MarkOverride.objects.count() == 1
    html = signed_in(agent).get(f"/learning/answers/{answer.pk}/").content.decode()
    assert "2 of 3" in html
    assert "Logging is not yet improving anything." in html


def test_a_learner_cannot_override_their_own_mark(answer, agent):
    point = answer.question.unit.marking_points.get(position=1)
    response = signed_in(agent).post(
        f"/learning/answers/{answer.pk}/override/", {"point": point.pk, "credited": "yes", "reason": "I think so"}
    )
    assert response.status_code == 404
    assert MarkOverride.objects.count() == 0


def test_a_portfolio_is_seen_only_by_the_learner_their_team_leader_and_assessors(
    answer, agent, team_leader, assessor, other_agent, manager
):
    urls = [
        f"/learning/learners/{agent.pk}/",
        f"/learning/answers/{answer.pk}/",
        f"/learning/learners/{agent.pk}/portfolio.csv",
    ]
    for user, status in ((agent, 200), (team_leader, 200), (assessor, 200), (other_agent, 404), (manager, 404)):
        client = signed_in(user)
        assert [client.get(url).status_code for url in urls] == [status] * 3, user


def test_a_team_leader_of_another_team_cannot_see_the_portfolio(agent, other_team):
    stranger = make_user("lead2@example.com", "team_leader", [other_team])
    assert signed_in(stranger).get(f"/learning/learners/{agent.pk}/").status_code == 404


def test_a_learner_links_a_case_as_evidence(unit, agent, complaint):
    point = unit.marking_points.get(position=1)
    client = signed_in(agent)

    response = client.post(
        f"/learning/learners/{agent.pk}/evidence/",
        {
            "kind": "complaint",
            "case_reference": complaint.reference,
            "summary": "Heard, apologised, owned.",
            "points": [point.pk],
        },
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.case == complaint
    assert list(evidence.points.all()) == [point]
    html = client.get(f"/learning/learners/{agent.pk}/").content.decode()
    assert f'href="/cases/{complaint.reference}/"' in html
    assert "Sofa delivered damaged" not in html  # linked, not copied


def test_evidence_from_a_case_the_learner_cannot_see_is_refused(unit, agent, other_case):
    point = unit.marking_points.get(position=1)
    response = signed_in(agent).post(
        f"/learning/learners/{agent.pk}/evidence/",
        {"kind": "complaint", "case_reference": other_case.reference, "summary": "Not mine", "points": [point.pk]},
    )
    assert response.status_code == 422
    assert "No case with that reference that you can see." in response.content.decode()
    assert Evidence.objects.count() == 0


def test_an_assessor_signs_evidence_off_and_the_matrix_shows_it(unit, agent, assessor, complaint, now):
    point = unit.marking_points.get(position=1)
    evidence = evidence_add(
        actor=agent,
        learner=agent,
        kind="complaint",
        summary="HEAT",
        point_ids=[point.pk],
        case_reference=complaint.reference,
        now=now,
    )

    mine = signed_in(agent).post(
        f"/learning/evidence/{evidence.pk}/sign-off/", {f"e{evidence.pk}-decision": "accepted"}
    )
    theirs = signed_in(assessor).post(
        f"/learning/evidence/{evidence.pk}/sign-off/", {f"e{evidence.pk}-decision": "accepted"}
    )

    assert mine.status_code == 404
    assert theirs.status_code == 302
    assert SignOff.objects.get().assessor == assessor
    html = signed_in(agent).get(f"/learning/learners/{agent.pk}/").content.decode()
    assert (
        '<td class="learning-signed_off"><span aria-hidden="true">S</span>'
        '<span class="visually-hidden">Signed off</span></td>' in html
    )


def test_referring_evidence_back_needs_a_comment(unit, agent, assessor, now):
    point = unit.marking_points.get(position=3)
    evidence = evidence_add(
        actor=agent,
        learner=agent,
        kind="improvement",
        summary="Logged repeat complaints",
        point_ids=[point.pk],
        link="/improvement/initiatives/1/",
        now=now,
    )
    response = signed_in(assessor).post(
        f"/learning/evidence/{evidence.pk}/sign-off/", {f"e{evidence.pk}-decision": "referred"}
    )
    assert response.status_code == 422
    assert SignOff.objects.count() == 0


def test_the_portfolio_exports_as_csv_and_pdf(answer, agent, assessor, complaint, now):
    point = answer.question.unit.marking_points.get(position=2)
    evidence = evidence_add(
        actor=agent,
        learner=agent,
        kind="complaint",
        summary='=HYPERLINK("x")',
        point_ids=[point.pk],
        case_reference=complaint.reference,
        now=now,
    )
    evidence_sign_off(actor=assessor, evidence=evidence, decision="accepted", now=now)
    client = signed_in(agent)

    rows = list(csv.reader(io.StringIO(client.get(f"/learning/learners/{agent.pk}/portfolio.csv").content.decode())))
    pdf = client.get(f"/learning/learners/{agent.pk}/portfolio.pdf")

    assert rows[0] == [
        "Unit",
        "Marking point",
        "Marking point text",
        "Progress",
        "Evidence",
        "Signed off by",
        "Signed off on",
    ]
    assert [r[3] for r in rows[1:]] == ["Practised", "Signed off", "Practised"]
    assert rows[2][4].startswith(f"Complaint taken through every HEAT stage ({complaint.reference}): =HYPERLINK")
    assert rows[2][5:] == [str(assessor), "2026-03-02"]
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_progress_matrix_costs_the_same_queries_for_many_learners(
    unit, team_leader, team, question, now, django_assert_max_num_queries
):
    client = signed_in(team_leader)
    client.get("/learning/learners/")
    for n in range(6):
        learner = make_user(f"learner{n}@example.com", "agent", [team])
        answer_submit(actor=learner, question=question, text=GOOD_ANSWER, now=now)

    with django_assert_max_num_queries(12):
        page = client.get("/learning/learners/")

    assert page.status_code == 200
    assert page.content.decode().count('class="learning-practised"') == 18


def test_the_case_page_offers_the_case_as_portfolio_evidence(agent, case):
    client = signed_in(agent)

    case_page = client.get(f"/cases/{case.reference}/").content.decode()
    url = f"/learning/learners/{agent.pk}/?case={case.reference}#add-evidence"
    form = client.get(url).content.decode()

    assert f'<a href="{url}">Add it to my learning portfolio</a>' in case_page
    assert f'value="{case.reference}"' in form


def test_complaint_evidence_must_come_from_a_complaint(unit, agent, case):
    point = unit.marking_points.get(position=1)
    response = signed_in(agent).post(
        f"/learning/learners/{agent.pk}/evidence/",
        {"kind": "complaint", "case_reference": case.reference, "summary": "HEAT", "points": [point.pk]},
    )
    assert response.status_code == 422
    assert f"Case {case.reference} is not a complaint" in response.content.decode()
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""]
)
def test_improvement_and_feedback_links_stay_on_the_desk(unit, agent, link):
    point = unit.marking_points.get(position=3)
    response = signed_in(agent).post(
        f"/learning/learners/{agent.pk}/evidence/",
        {"kind": "improvement", "link": link, "summary": "PDCA", "points": [point.pk]},
    )
    assert response.status_code == 422
    assert Evidence.objects.count() == 0


def test_the_portfolio_page_costs_the_same_queries_however_much_evidence(
    unit, agent, assessor, complaint, now, django_assert_max_num_queries
):
    points = list(unit.marking_points.values_list("pk", flat=True))
    client = signed_in(assessor)

    def add(n: int) -> None:
        for i in range(n):
            evidence = evidence_add(
                actor=agent,
                learner=agent,
                kind="complaint",
                summary=f"Case work {i}",
                point_ids=points,
                case_reference=complaint.reference,
                now=now,
            )
            evidence_sign_off(actor=assessor, evidence=evidence, decision="accepted", now=now)

    add(1)
    client.get(f"/learning/learners/{agent.pk}/")
    with django_assert_max_num_queries(20) as one:
        client.get(f"/learning/learners/{agent.pk}/")
    add(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(f"/learning/learners/{agent.pk}/")

    assert page.content.decode().count("Case work") == 6
