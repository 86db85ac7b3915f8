"""The marker on the study units' own points and misconceptions: a misconception restated in other
words is flagged, the same claim denied is not, and key words glued together with verbs and the
scenario's names earn nothing (issue #20, "A marker that cannot be gamed").

These sentences were written by the marker's author to pin the rules down; they are not an
evaluation (the frozen scenario answers are: test_scenario_marking.py).
"""

from __future__ import annotations

from functools import cache

import pytest

from rapport.domain.curriculum import parse_unit
from rapport.domain.marking import Marking, Point, mark
from tests.learning.seeds import needs_seeds, seed_file

RESTATED = [
    ("000", 1, "Expectations are simply whatever each person happens to prefer, so there is no standard to measure them against."),
    ("000", 1, "What a customer expects is a matter of individual preference rather than anything the company has promised."),
    ("000", 2, "Every complaint can be solved if we are generous enough, whatever the compensation policy says."),
    ("000", 2, "A good team leader can always resolve a complaint completely, regardless of budget."),
    ("000", 3, "On a phone call the tone of voice does not matter, only what is said."),
    ("000", 3, "Body language and tone are irrelevant when dealing with complaints on the telephone."),
    ("000", 4, "Listing the relevant laws is enough; advisers do not need to know how they change our procedures."),
    ("001", 1, "Customer service is really about selling more, so every call should end with an offer."),
    ("001", 1, "The main purpose of the service team is to increase sales rather than to build relationships."),
    ("001", 2, "Only front-line staff influence service quality; the back office has no effect on what customers experience."),
    ("001", 2, "The warehouse team does not really matter to the customer experience because they never speak to customers."),
    ("001", 3, "Our brand is just the logo and the advertising; it has nothing to do with how advisers behave."),
    ("001", 4, "Staff only need a general awareness of data protection and consumer law."),
    ("002", 1, "My personal view that calls should be answered in two minutes should count as an internal requirement."),
    ("002", 2, "We should hire twenty more advisers straight away; the budget should not stop us improving the service."),
    ("002", 3, "Legal duties and best-practice standards are the same thing, and we must follow both in exactly the same way."),
    ("002", 4, "We do not need data to justify the change; everyone can see the service is poor."),
    ("003", 1, "Our returns policy is part of the law, so customers have no right to challenge it."),
    ("003", 3, "Once a rule is written it is fixed, so there is no point reviewing it."),
    ("003", 3, "Procedures can never be changed by the team, so we should not review them."),
    ("003", 4, "Rules generally make service better for everyone."),
    ("004", 1, "Good service comes down to friendly advisers; planning and process design are secondary."),
    ("004", 2, "There is no need to plan for prevention; we just react when tenants call."),
    ("004", 3, "We will promise every tenant a same-day repair and sort out the staffing and budget later."),
    ("004", 4, "We will know the service works because it feels better; there is no need to set targets or measure anything."),
    ("004", 5, "Every tenant should be treated exactly the same in the plan, because all customers want the same thing."),
    ("004", 6, "Data protection and equality law are a matter for the legal team, not for the customer service plan."),
]

DENIED = [
    ("000", 1, "Her expectations are not just personal preferences; they come from the standards we publish."),
    ("000", 2, "Not every complaint can be resolved to the customer's satisfaction, because our policy and budget set limits."),
    ("000", 3, "Even on the telephone, tone of voice and pace carry as much meaning as the words."),
    ("000", 4, "It is not enough to list the laws: the Data Protection Act changes how we verify callers before we discuss an account."),
    ("001", 1, "Customer service is not about making a sale; it is about keeping the customer's trust over time."),
    ("001", 2, "Back-office teams affect the customer experience as much as front-line advisers do."),
    ("001", 3, "The brand is not just a logo: it is a promise kept in every conversation."),
    ("002", 1, "Internal requirements come from the council's policies and budget, not from my personal preferences."),
    ("002", 2, "Because the budget is frozen, the improvement has to be delivered with the staff and time we already have."),
    ("002", 3, "The Equality Act duty is mandatory, whereas the answer-time target is a voluntary best-practice standard."),
    ("002", 4, "The complaint figures, rather than my impressions, show why the change is needed."),
    ("003", 1, "The receipt requirement is only our own policy, while the 30-day right to reject is the law."),
    ("003", 2, "Data protection rules also affect service indirectly, because they limit what we can ask customers to send."),
    ("003", 3, "Rules are not fixed; we review the returns policy every year against complaint data."),
    ("004", 1, "Friendly advisers matter, but service also depends on planning, resources and well-designed processes."),
    ("004", 2, "Our plan is proactive as well as reactive, with reminders sent before the winter peak."),
    ("004", 3, "We are not promising more than our staffing and budget can deliver."),
    ("004", 4, "We will measure success with targets for answer times and first-visit fixes rather than by how it feels."),
    ("004", 5, "Different tenant groups need different plans, such as same-day visits for vulnerable tenants."),
    ("004", 6, "Data protection and equality duties are built into the plan from the start."),
]

GLUED_SALADS = [
    ("000", "Mrs Ahmed's refund means consistency, and consistency means accessibility for Northvale. The £120 refund leads to value and value leads to expectations. Active listening on the phone raises empathy and patience, which raises satisfaction for Mrs Ahmed. The £500 compensation shows policy limits and resource limits show the complaint solution. The Consumer Rights Act affects Data Protection and service delivery processes affect the legislation at Northvale Energy."),
    ("000", "Northvale Energy, Mrs Ahmed, six weeks, £120 refund, £500 compensation: consistency, accessibility, value, expectations, active listening, positive language, empathy, patience, satisfaction, policy, resource limits, Consumer Rights Act, Data Protection, service delivery processes, gas and electricity, adviser talked over her."),
    ("001", "Harbour & Vine's service-profit chain manages expectations because standards manage the chain. Mr Clarke's sofa shows brand values, so behaviours show brand perception and loyalty. Front-line staff collaborate with back-office staff and management, which delivers seamless service for the sofa delivery. GDPR affects the marketing email, so the Consumer Rights Act affects policies, complaint handling and communication."),
    ("002", "Eastbridge Borough Council's internal requirements affect external requirements because the frozen budget affects staff training and consumer protection laws. Complaint logs justify customer feedback, so data sources justify the need for improvements at the contact centre. The cost-benefit analysis of call-backs shows stakeholders, and KPIs measure organisational goals so the 18 minutes are aligned."),
    ("004", "Riverside Homes' customer service plan includes objectives, resources, timelines and monitoring, so monitoring evaluates the plan for the repairs portal in October. Customer feedback is collected systematically to improve service delivery in line with organisational procedures. Communication adapts to diverse customer needs because problem-solving adapts approaches. Data protection and equality influence planning and delivery for the 9,000 homes. Structures organise roles and roles organise delivery. Resource schedules and contingency arrangements align with expectations for heating repairs."),
]


@cache
def marked(code: str, text: str) -> Marking:
    document = parse_unit(seed_file(code).read_text(encoding="utf-8"))
    return mark(
        text,
        [Point(n, t) for n, t in enumerate(document.marking_points, start=1)],
        [Point(n, t) for n, t in enumerate(document.misconceptions, start=1)],
        concepts=[f"{c.name}: {c.text}" for c in document.concepts],
    )


@needs_seeds
@pytest.mark.parametrize(("code", "number", "text"), RESTATED)
def test_a_misconception_restated_in_other_words_is_flagged_quoting_the_sentence(code, number, text):
    flags = {flag.number: flag for flag in marked(code, text).flags}
    assert number in flags
    assert flags[number].quote in text


@needs_seeds
@pytest.mark.parametrize(("code", "number", "text"), DENIED)
def test_a_sentence_denying_a_misconception_is_not_flagged(code, number, text):
    assert number not in {flag.number for flag in marked(code, text).flags}


@needs_seeds
@pytest.mark.parametrize(("code", "text"), GLUED_SALADS)
def test_key_words_glued_with_verbs_and_the_scenario_names_earn_nothing(code, text):
    assert marked(code, text).credited == set()
