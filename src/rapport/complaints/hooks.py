"""What complaints add to the core: the HEAT panel, the closing guard, the final-response deadline,
the legal hold, queue badges and the desk link. Registered from ``ComplaintsConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import signals
from rapport.cases.models import Case, CaseEvent
from rapport.complaints import access as complaint_policy
from rapport.complaints import evidence, forms, labels, selectors
from rapport.complaints.calculations import complaint_view
from rapport.complaints.fetch import fetch_complaint_info
from rapport.complaints.models import Complaint, ComplaintSettings
from rapport.customers.models import Customer
from rapport.domain import complaint_rules as rules
from rapport.domain.case_rules import CaseType, Status
from rapport.platform.errors import FieldError

DEADLINE_NAME = "Final response"


def close_guard(case: Case, actor: User, target: str) -> Sequence[str]:
    if case.type != CaseType.COMPLAINT:
        return ()
    checks_from = ComplaintSettings.current().checks_from
    if checks_from is not None and case.created_at < checks_from:
        return ()
    complaint = Complaint.objects.filter(case=case).first()
    return rules.closing_refusals(selectors.closing_facts(complaint))


def legal_hold(customer: Customer) -> Sequence[str]:
    """An open complaint, or one the customer may still refer to the ombudsman, keeps their data."""
    config = ComplaintSettings.current()
    today = timezone.localdate()
    reasons = []
    for complaint in Complaint.objects.filter(case__customer=customer).select_related("case"):
        ref = complaint.case.reference
        if complaint.final_response_at is None or complaint.case.status not in {Status.RESOLVED, Status.CLOSED}:
            reasons.append(f"Open complaint {ref}.")
        elif today <= rules.referral_until(timezone.localdate(complaint.final_response_at), config.referral_months):
            reasons.append(f"Complaint {ref} may still be referred to {config.adr_body}.")
    return reasons


def deadlines(cases: Sequence[Case]) -> Mapping[int, Sequence[extensions.Deadline]]:
    found = selectors.complaints_of_cases(cases)
    if not found:
        return {}
    config = ComplaintSettings.current()
    basis = f"{config.final_response_weeks} weeks from receipt (DISP 1.6.2R)"
    return {
        case_id: [extensions.Deadline(DEADLINE_NAME, selectors.final_response_due(c, config), basis)]
        for case_id, c in found.items()
        if c.final_response_at is None
    }


def queue_badges(actor: User, cases: Sequence[Case]) -> Mapping[int, Sequence[extensions.Badge]]:
    found = selectors.complaints_of_cases(cases)
    if not found:
        return {}
    config = ComplaintSettings.current()
    now = timezone.now()
    badges: dict[int, list[extensions.Badge]] = {}
    for case_id, complaint in found.items():
        state = selectors.deadline_state(complaint, config, now)
        if state is rules.DeadlineState.OVERDUE and complaint.final_response_at is None:
            badges[case_id] = [
                extensions.Badge("Final response overdue", "tag tag-warning", "Past the final-response deadline")
            ]
        elif state is rules.DeadlineState.DUE_SOON:
            badges[case_id] = [
                extensions.Badge("Final response due soon", "tag", "Final response deadline approaching")
            ]
    return badges


def case_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    if case.type != CaseType.COMPLAINT or not complaint_policy.can_work_complaints(request.user):
        return None
    actor = request.user
    assert isinstance(actor, User)
    now = timezone.now()
    view = complaint_view(fetch_complaint_info(case), now=now)
    complaint = view.info.complaint
    initial_facts = dict(complaint.facts or {})
    return extensions.Panel(
        "complaints/_panel.html",
        place="work",
        order=10,
        context={
            "complaint": complaint,
            "stages": view.stages,
            "refusals": view.refusals,
            "due": view.due,
            "state": view.state,
            "config": view.info.config,
            "assessment": view.assessment,
            "legal_awards": view.legal_awards,
            "goodwill_awards": view.goodwill_awards,
            "next_level": view.next_level,
            "can_override": complaint_policy.can_override(actor),
            "follow_ups": view.info.follow_ups,
            "hear_form": forms.HearForm(
                initial={
                    "account": complaint.account,
                    "summary": complaint.summary,
                    "confirmed": complaint.summary_confirmed,
                    "product": complaint.product,
                }
            ),
            "empathise_form": forms.EmpathiseForm(initial={"said": complaint.empathy}),
            "apologise_form": forms.ApologiseForm(initial={"said": complaint.apology}),
            "own_form": forms.OwnershipForm(
                initial={
                    "handler": complaint.handler_id or actor.pk,
                    "action_plan": complaint.action_plan,
                    "promised_date": complaint.promised_date,
                }
            ),
            "outcome_form": forms.OutcomeForm(
                initial={
                    "outcome": complaint.outcome,
                    "outcome_text": complaint.outcome_text,
                    "customer_response": complaint.customer_response,
                    "root_cause": complaint.root_cause.code if complaint.root_cause else "",
                }
            ),
            "facts_form": forms.FactsForm(initial=initial_facts or {"reported": timezone.localdate(now)}),
            "award_form": forms.AwardForm(),
            "escalate_form": forms.EscalateForm(),
            "override_form": forms.OverrideForm(),
            "final_form": forms.FinalResponseForm(),
        },
    )


def nav_visible(user: User) -> bool:
    return complaint_policy.can_see_reports(user)


def open_on_create(sender: object, *, case: Case, **kwargs: object) -> None:
    """A complaint case gets its complaint record when it is opened, in the same transaction."""
    if case.type == CaseType.COMPLAINT:
        Complaint.objects.get_or_create(case=case, defaults={"received_at": case.created_at})


def open_on_retype(sender: object, *, case: Case, events: Sequence[CaseEvent], **kwargs: object) -> None:
    """A case re-typed as a complaint becomes one from when the customer first raised it."""
    if case.type == CaseType.COMPLAINT and any(e.field == "type" for e in events):
        Complaint.objects.get_or_create(case=case, defaults={"received_at": case.created_at})


def _report_source(name: str) -> extensions.ReportSource:
    """One complaint report as an exportable table (``GET /api/v1/exports/reports/complaints.<name>``),
    over the period the report page uses by default: the last 365 days."""

    def build(params: Mapping[str, str]) -> extensions.ReportTable:
        today = timezone.localdate()
        period: dict[str, date] = {"start": today - timedelta(days=365), "end": today}
        errors: dict[str, list[str]] = {}
        for key in period:
            if params.get(key):
                try:
                    period[key] = date.fromisoformat(params[key])
                except ValueError:
                    errors[key] = ["Give a date as YYYY-MM-DD."]
        if not errors and period["start"] > period["end"]:
            errors["end"] = ["The end of the period must not be before its start."]
        if errors:
            raise FieldError(errors)
        built = selectors.report(name, start=period["start"], end=period["end"])
        return extensions.ReportTable(header=built.header, rows=built.rows, customer_ids=built.customer_ids)

    title = name.replace("_", " ")
    return extensions.ReportSource(title=f"Complaints: {title}", allowed=complaint_policy.can_see_reports, build=build)


def register() -> None:
    for report_name in selectors.REPORTS:
        if f"complaints.{report_name}" not in extensions.report_tables:
            extensions.report_tables.register(f"complaints.{report_name}", _report_source(report_name))
    signals.case_created.connect(open_on_create, dispatch_uid="complaints.open_on_create")
    signals.case_changed.connect(open_on_retype, dispatch_uid="complaints.open_on_retype")
    extensions.case_panels.append(case_panel)
    extensions.close_guards.append(close_guard)
    from rapport.complaints.services import merging

    extensions.merge_guards.append(merging.merge_guard)
    extensions.case_merge_handlers.append(merging.complaints_merge)
    extensions.legal_holds.append(legal_hold)
    extensions.deadlines.append(deadlines)
    extensions.queue_badges.append(queue_badges)
    extensions.nav_items.append(
        extensions.NavItem("Complaints", "complaints:index", "complaints", nav_visible, order=30)
    )
    from rapport.complaints.demo import seed_demo

    extensions.demo_seeders.append(seed_demo)
    from rapport.complaints import personal_data

    extensions.subject_access_sections.extend(
        [personal_data.complaints_section, personal_data.awards_section, personal_data.letters_section]
    )
    extensions.erasure_handlers.append(personal_data.erase)
    extensions.case_findings.register(extensions.COMPLAINT_HANDLING, selectors.handling_findings)
    extensions.case_facts.register(extensions.ROOT_CAUSE, selectors.root_causes)
    extensions.gap_evidence.register("complaints", evidence.root_causes)
    for vocabulary, codes in labels.VOCABULARIES.items():
        extensions.label_vocabularies.register(vocabulary, codes)
