"""Statutory remedies for a consumer purchase that went wrong: which are open on a day, and until when.

``assess(facts, on)`` takes dated facts about one purchase and one problem (:class:`PurchaseFacts`)
and the day of the assessment, and returns an :class:`Assessment`: the remedies the law gives the
consumer that day, each with its section and the last day it can be used, the dates that decide
them, and a plain-English explanation. The explanation speaks to the customer ("you", and "we" for
the organisation as the trader) so that a letter can quote it, and cites every section so that the
agent can check it. This is the *legal entitlement* only; goodwill on top of it is organisational
policy and is decided elsewhere (domain.md §4: never confuse the two).

The law encoded:

- Consumer Rights Act 2015 ("CRA"), Part 1: goods ss.9-24, digital content ss.33-47, services
  ss.49-57.
- Consumer Contracts (Information, Cancellation and Additional Charges) Regulations 2013 ("CCR"),
  regs.27-38: cancelling a distance or off-premises contract.
- Limitation Act 1980 s.5 (England and Wales); Limitation (Northern Ireland) Order 1989 art.4(a);
  Prescription and Limitation (Scotland) Act 1973 s.6 and Sch.1 para.1(g).

How days are counted (the words of each provision decide):

- "30 days beginning with the first day after" delivery (CRA s.22(3)): day 1 is the day after
  delivery, so goods delivered on 1 March may be rejected up to and including 31 March
  (delivery + 30 days); 1 April is too late.
- "14 days beginning with the day on which the trader agrees" (CRA s.20(15)): day 1 is that day,
  so the last day is the agreement day + 13.
- "14 days after the day" (CCR reg.30): that day is not counted, so the last day is day + 14.
- A period of months "beginning with" a day ends the day before the same date so many months
  later (6 months beginning with 1 March end on 31 August); when that later month has no such
  date, the period ends on its last day.
- Years "from" the day a cause of action accrued (Limitation Act 1980 s.5): that day is not
  counted, so the period ends on its anniversary (29 February falls back to 28 February).

Which day decides what:

- ``reported`` is the day the consumer raised the problem with the trader. A right with a time limit
  (the short-term right to reject, CCR cancellation) is open if the consumer raised the problem
  within it, even if the trader answers later: the trader's delay cannot take the right away. The
  same day decides the 6-month presumption and whether a final rejection may bear a deduction for
  use. The consumer still has to make a rejection clear (CRA s.20(5)-(6)), so the letter asks them
  to confirm their choice.
- ``on`` is the assessment day. Limitation is judged on it (only starting a claim stops that clock,
  not a complaint), and nothing is open after ``limitation_until``. A repair still under way on
  ``on`` pauses the short-term right to reject. Facts dated after ``on`` are refused.

Judgement calls (where the statute needs reading, or the facts are thin):

1. ``repairs_tried`` counts every repair or replacement the trader has delivered for these goods,
   whatever the fault: CRA s.24(6)(a) counts a repair "whether in relation to one fault or more than
   one", and s.24(5)(a) asks only whether "the goods do not conform" after it. So a *new* fault after
   one repair opens the price reduction and the final right to reject.
2. ``repair_impossible`` means the consumer can require neither repair nor replacement (CRA s.23(3):
   impossible, or disproportionate); for a service, that repeat performance is impossible (s.55(3)).
3. A fault only in the trader's installation (CRA s.15) gives repair or replacement and then the
   s.24 remedies, but no short-term right to reject: s.19(4) leaves it out.
4. The 6-month presumption (CRA s.19(14)) does not help the short-term right to reject: s.19(14)
   names only the later tiers. The day the fault showed is taken to be ``reported``. A perishable
   that fails after its expected life is a case where the presumption is "incompatible with the
   nature of the goods" (s.19(15)(b)); ``presumption_rebutted`` records any other s.19(15) case.
5. Digital content: a failed repair does not by itself open a price reduction, because s.44(3) has
   no "after one repair" limb (unlike s.24(5)(a)); the agent decides whether the trader has failed
   to repair within a reasonable time (``trader_failed_reasonable_time``, s.44(3)(b)).
6. Services: an ``information`` breach is taken to be about the service itself (s.50 through
   s.54(2)(b)-(3)); for information that is not about the service, s.54(4) gives only a price
   reduction. A breach of s.52 (reasonable time) gives a price reduction at once (s.54(5)): s.56(3)
   restricts only a consumer who also has the right to repeat performance.
7. Perishable goods cannot be cancelled under the CCR (reg.28(1)(d): goods "liable to deteriorate or
   expire rapidly"); any goods with ``perishable_days`` set are treated as such.
8. Digital content is taken to be supplied other than on a tangible medium (CCR reg.30(3)(b)); on a
   disc it is goods. Losing the right to cancel once a download or a service has begun with the
   consumer's consent (regs.36-37) depends on facts not held here: the explanation says so.
9. Only one waiting period (the latest repair or replacement) is modelled for s.22(6)-(8).
10. Limitation runs from delivery (the notice that installation is done, for an installation fault),
    or for a service from the day it was performed (``delivered``) or else the contract date, the
    earliest day a breach could have happened. Scotland's discoverability rule (1973 Act s.11(3))
    can start the 5 years later; it is not modelled, so the date shown is the earliest it can be.
11. Ownership is taken to pass no later than the contract, so the s.22(3) start is the latest of the
    contract, delivery and the installation notice.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

__all__ = [
    "Assessment",
    "Kind",
    "Nation",
    "PurchaseFacts",
    "Remedy",
    "RemedyCode",
    "ServiceBreach",
    "assess",
    "cancellation_refund_due",
    "limitation_until",
    "refund_due",
    "short_term_reject_until",
]


_E = TypeVar("_E", bound=StrEnum)


class Kind(StrEnum):
    """What the contract supplies: CRA Part 1 Chapter 2 (goods), 3 (digital content), 4 (services)."""

    GOODS = "goods"
    DIGITAL_CONTENT = "digital_content"
    SERVICE = "service"


class Nation(StrEnum):
    """Where the contract is governed: decides limitation (6 years, or 5 in Scotland)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class ServiceBreach(StrEnum):
    """Which statutory term about a service was broken."""

    REASONABLE_CARE = "reasonable_care"  # CRA s.49
    REASONABLE_TIME = "reasonable_time"  # CRA s.52
    INFORMATION = "information"  # CRA s.50


class RemedyCode(StrEnum):
    SHORT_TERM_REJECT = "short_term_reject"
    REPAIR = "repair"
    REPLACEMENT = "replacement"
    PRICE_REDUCTION = "price_reduction"
    FINAL_REJECT = "final_reject"
    REPEAT_PERFORMANCE = "repeat_performance"
    CANCEL = "cancel"


REMEDY_LABELS: dict[str, str] = {
    RemedyCode.SHORT_TERM_REJECT: "Short-term right to reject",
    RemedyCode.REPAIR: "Repair",
    RemedyCode.REPLACEMENT: "Replacement",
    RemedyCode.PRICE_REDUCTION: "Price reduction",
    RemedyCode.FINAL_REJECT: "Final right to reject",
    RemedyCode.REPEAT_PERFORMANCE: "Repeat performance",
    RemedyCode.CANCEL: "Cancel the contract",
}
"""Each remedy as a person reads it (the names the Consumer Rights Act 2015 ss.19-24 and 54-56 use)."""


SHORT_TERM_REJECT_DAYS = 30  # CRA s.22(3)
AFTER_REPAIR_MINIMUM_DAYS = 7  # CRA s.22(7)
PRESUMPTION_MONTHS = 6  # CRA s.19(14), s.42(9)
NO_DEDUCTION_MONTHS = 6  # CRA s.24(10)-(11)
REFUND_DAYS = 14  # CRA s.20(15), s.44(4), s.45(3), s.56(4)
CANCELLATION_DAYS = 14  # CCR reg.30
CANCELLATION_EXTENSION_MONTHS = 12  # CCR reg.31
LIMITATION_YEARS: Mapping[Nation, int] = {
    Nation.ENGLAND: 6,  # Limitation Act 1980 s.5
    Nation.WALES: 6,  # Limitation Act 1980 s.5
    Nation.NORTHERN_IRELAND: 6,  # Limitation (Northern Ireland) Order 1989 art.4(a)
    Nation.SCOTLAND: 5,  # Prescription and Limitation (Scotland) Act 1973 s.6, Sch.1 para.1(g)
}

# Messages for facts that cannot be assessed (ValueError); tests assert these texts.
UNKNOWN_VALUE = "{name} must be one of {allowed}, not {value!r}"
BAD_PRICE = "price must be a Decimal amount of zero or more"
BAD_PERISHABLE_DAYS = "perishable_days must be a whole number of days, 1 or more"
BAD_REPAIRS_TRIED = "repairs_tried must be a whole number, 0 or more"
REPORTED_BEFORE_CONTRACT = "reported cannot be before contract_date"
RETURNED_WITHOUT_REQUEST = "repair_returned needs repair_requested"
RETURNED_BEFORE_REQUEST = "repair_returned cannot be before repair_requested"
RETURNED_NOT_COUNTED = "goods came back from a repair or replacement, so repairs_tried must be at least 1"
REPORTED_BEFORE_RETURN = (
    "reported must be on or after repair_returned: it is the day the problem with the goods that came back was raised"
)
GOODS_ONLY = "{name} applies to goods only"
SERVICE_ONLY = "service_breach applies to services only"
INFO_RECEIVED_BUT_GIVEN = "cancellation_info_received means the information came late: cancellation_info_given is False"
FACT_AFTER_ASSESSMENT = "{name} ({value}) is after the assessment day ({on}): facts must have happened by then"


@dataclass(frozen=True, kw_only=True)
class PurchaseFacts:
    """What happened, as dates and flags: one purchase and one problem with it.

    Strings are accepted for ``kind``, ``nation`` and ``service_breach`` and become their enums.
    Inconsistent facts raise ``ValueError`` with one of this module's message constants.
    """

    kind: Kind
    contract_date: date
    reported: date
    """The day the consumer raised the problem (after a repair: the problem with what came back)."""
    delivered: date | None = None
    """Goods: the day they were delivered; digital content: the day it was supplied; service: the
    day it was performed, if known (for limitation). None: not delivered or supplied yet."""
    installation_notified: date | None = None
    """When the trader installs the goods: the day they told the consumer it was done (s.22(3)(c))."""
    price: Decimal = Decimal("0")
    perishable_days: int | None = None
    """Perishable goods: how many days they can reasonably be expected to last (s.22(4))."""
    repairs_tried: int = 0
    """Repairs or replacements the trader has already delivered for these goods (s.24(6))."""
    repair_requested: date | None = None
    """The day the consumer asked for or agreed to the latest repair or replacement (s.22(8)(a))."""
    repair_returned: date | None = None
    """The day the consumer got the goods back from it (s.22(8)(b)); None while it is under way."""
    repair_impossible: bool = False
    """Neither repair nor replacement can be required (s.23(3), s.43(3)); for a service, repeat
    performance is impossible (s.55(3))."""
    trader_failed_reasonable_time: bool = False
    """The trader did not repair, replace or perform again within a reasonable time and without
    significant inconvenience (s.23(2)(a), s.43(2)(a), s.55(2)(a))."""
    motor_vehicle: bool = False
    installation_fault: bool = False
    """The goods are fine; only the trader's installation is wrong (s.15)."""
    presumption_rebutted: bool = False
    """The goods are shown to have conformed on delivery, or the 6-month presumption is
    incompatible with their nature or the fault (s.19(15), s.42(10))."""
    service_breach: ServiceBreach | None = None
    distance_sale: bool = False
    """A distance or off-premises contract (CCR reg.5), so the CCR right to cancel can apply."""
    cancellation_info_given: bool = True
    """The trader gave the information about the right to cancel before the contract (CCR Sch.2 (l))."""
    cancellation_info_received: date | None = None
    """When that information was given late: the day the consumer received it (CCR reg.31(2))."""
    nation: Nation = Nation.ENGLAND

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _member(Kind, self.kind, "kind"))
        object.__setattr__(self, "nation", _member(Nation, self.nation, "nation"))
        if self.service_breach is not None:
            object.__setattr__(self, "service_breach", _member(ServiceBreach, self.service_breach, "service_breach"))
        if not isinstance(self.price, Decimal) or not self.price.is_finite() or self.price < 0:
            raise ValueError(BAD_PRICE)
        if self.perishable_days is not None and (not isinstance(self.perishable_days, int) or self.perishable_days < 1):
            raise ValueError(BAD_PERISHABLE_DAYS)
        if not isinstance(self.repairs_tried, int) or self.repairs_tried < 0:
            raise ValueError(BAD_REPAIRS_TRIED)
        if self.reported < self.contract_date:
            raise ValueError(REPORTED_BEFORE_CONTRACT)
        self._check_repair()
        self._check_kind_fields()
        if self.cancellation_info_received is not None and self.cancellation_info_given:
            raise ValueError(INFO_RECEIVED_BUT_GIVEN)

    def _check_repair(self) -> None:
        if self.repair_returned is None:
            return
        if self.repair_requested is None:
            raise ValueError(RETURNED_WITHOUT_REQUEST)
        if self.repair_returned < self.repair_requested:
            raise ValueError(RETURNED_BEFORE_REQUEST)
        if self.repairs_tried < 1:
            raise ValueError(RETURNED_NOT_COUNTED)
        if self.reported < self.repair_returned:
            raise ValueError(REPORTED_BEFORE_RETURN)

    def _check_kind_fields(self) -> None:
        if self.kind is not Kind.GOODS:
            goods_only = {
                "installation_notified": self.installation_notified is not None,
                "installation_fault": self.installation_fault,
                "motor_vehicle": self.motor_vehicle,
                "perishable_days": self.perishable_days is not None,
            }
            for name, present in goods_only.items():
                if present:
                    raise ValueError(GOODS_ONLY.format(name=name))
        if self.kind is not Kind.SERVICE and self.service_breach is not None:
            raise ValueError(SERVICE_ONLY)

    def dated(self) -> dict[str, date]:
        """Every date among the facts, by field name."""
        named = {
            "contract_date": self.contract_date,
            "reported": self.reported,
            "delivered": self.delivered,
            "installation_notified": self.installation_notified,
            "repair_requested": self.repair_requested,
            "repair_returned": self.repair_returned,
            "cancellation_info_received": self.cancellation_info_received,
        }
        return {name: value for name, value in named.items() if value is not None}


@dataclass(frozen=True)
class Remedy:
    """One remedy open to the consumer: what it is, where the law gives it, and its last day."""

    code: RemedyCode
    section: str
    until: date | None
    """The last day it can be used; None when that day is not known yet (goods not yet delivered)."""
    reason: str


@dataclass(frozen=True)
class Assessment:
    """The consumer's statutory position on the assessment day."""

    remedies: tuple[Remedy, ...]
    short_term_reject_until: date | None
    """Last day of the short-term right to reject (s.22); None where there is no such right. While a
    repair is under way it is the earliest the paused period can end."""
    presumed_at_delivery: bool
    """The fault is taken to have been there on delivery (s.19(14)-(15); s.42(9)-(10))."""
    deduction_for_use_allowed: bool
    """A refund on final rejection may be reduced for use (s.24(8)-(11)); False where there is no
    final right to reject (digital content, services)."""
    cancellation_until: date | None
    """Last day to cancel under the CCR (regs.29-31); None where there is no right to cancel, or the
    goods have not arrived yet (the right is then open, and ends 14 days after they do)."""
    limitation_until: date
    explanation_lines: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "\n".join(self.explanation_lines)

    @property
    def codes(self) -> frozenset[RemedyCode]:
        return frozenset(remedy.code for remedy in self.remedies)

    def remedy(self, code: RemedyCode | str) -> Remedy | None:
        wanted = RemedyCode(code)
        return next((remedy for remedy in self.remedies if remedy.code is wanted), None)


def assess(facts: PurchaseFacts, on: date) -> Assessment:
    """The remedies open to the consumer on ``on``, with the dates and sections behind them."""
    for name, value in facts.dated().items():
        if value > on:
            raise ValueError(FACT_AFTER_ASSESSMENT.format(name=name, value=value, on=on))
    accrued = _accrual(facts)
    limitation = limitation_until(accrued, facts.nation)
    draft = _Draft(limitation)
    if facts.kind is Kind.GOODS:
        strr_until, presumed, deduction = _goods(facts, on, draft)
    elif facts.kind is Kind.DIGITAL_CONTENT:
        strr_until, presumed, deduction = _digital_content(facts, draft)
    else:
        strr_until, presumed, deduction = _service(facts, draft)
    cancel_until = _cancellation(facts, draft)
    money = {RemedyCode.SHORT_TERM_REJECT, RemedyCode.FINAL_REJECT, RemedyCode.PRICE_REDUCTION}
    if any(remedy.code in money for remedy in draft.remedies):
        draft.say(
            "Any refund is due without undue delay, and at the latest within 14 days beginning with the day we agree "
            f"you are entitled to it ({_refund_section(facts.kind)})."
        )
    remedies: tuple[Remedy, ...] = tuple(draft.remedies)
    lines = [*draft.lines, _limitation_line(facts.nation, accrued, limitation)]
    if on > limitation:
        # Limitation Act 1980 s.5 bars the claim; in Scotland the 1973 Act s.6 extinguishes the obligation.
        remedies = ()
        lines = [
            lines[-1],
            "That date has passed, so no statutory remedy can now be enforced and anything we offer is goodwill "
            f"({_limitation_statute(facts.nation)}).",
        ]
    return Assessment(
        remedies=remedies,
        short_term_reject_until=strr_until,
        presumed_at_delivery=presumed,
        deduction_for_use_allowed=deduction,
        cancellation_until=cancel_until,
        limitation_until=limitation,
        explanation_lines=tuple(lines),
    )


def refund_due(agreed: date) -> date:
    """Last day for a refund: 14 days beginning with the day the trader agrees it is due.

    CRA s.20(15) (short-term and final rejection; applied to a price reduction by s.24(3)); the same
    words govern refunds for digital content (s.44(4), s.45(3)) and services (s.56(4)). Day 1 is the
    day of agreement, so the last day is 13 days after it.
    """
    return agreed + timedelta(days=REFUND_DAYS - 1)


def cancellation_refund_due(informed: date, *, goods_back: date | None = None) -> date:
    """Last day to reimburse a consumer who cancelled under the CCR (reg.34).

    The end of 14 days after the day the trader is informed of the cancellation; for goods the trader
    has not offered to collect, 14 days after the day the goods come back or, if earlier, the day the
    consumer supplies evidence of having sent them back: pass that earlier day as ``goods_back``.
    """
    return (goods_back or informed) + timedelta(days=CANCELLATION_DAYS)


def short_term_reject_until(
    start: date, *, perishable_days: int | None = None, waiting: tuple[date, date] | None = None
) -> date:
    """Last day of the short-term right to reject goods (CRA s.22).

    ``start`` is the day the last of the s.22(3) events happened: ownership (or possession) passed,
    the goods were delivered, and (if the trader installs them) the trader said installation was done.

    - s.22(3): the end of 30 days beginning with the first day after ``start``: ``start`` + 30.
    - s.22(4): goods that can reasonably be expected to perish sooner: the end of that shorter
      period, counted the same way.
    - s.22(6)-(8): the period stops running during a waiting period (``waiting`` = the day the
      consumer asked for or agreed to a repair or replacement, and the day they got the goods back,
      both days included) and then resumes; and if the goods that come back still do not conform,
      the consumer has at least 7 days after the waiting period ends. A request made after the
      period had ended changes nothing: the right was already lost (s.22(1)).
    """
    days = SHORT_TERM_REJECT_DAYS
    if perishable_days is not None and perishable_days < days:
        days = perishable_days
    end = start + timedelta(days=days)
    if waiting is None:
        return end
    requested, back = waiting
    first_day = start + timedelta(days=1)
    if requested > end or back < first_day:
        return end
    used = max(0, (requested - first_day).days)
    resumed_end = back + timedelta(days=days - used)
    return max(resumed_end, back + timedelta(days=AFTER_REPAIR_MINIMUM_DAYS))


def limitation_until(accrued: date, nation: Nation | str) -> date:
    """Last day to bring a claim for breach of the contract.

    England and Wales: six years from the day the cause of action accrued (Limitation Act 1980 s.5);
    Northern Ireland: the same (Limitation (Northern Ireland) Order 1989 art.4(a)); Scotland: the
    obligation is extinguished after five years from when it became enforceable, unless a relevant
    claim is made or it is acknowledged (Prescription and Limitation (Scotland) Act 1973 s.6 and
    Sch.1 para.1(g)). The day of accrual is not counted, so the period ends on the anniversary.
    """
    return _add_months(accrued, 12 * LIMITATION_YEARS[_member(Nation, nation, "nation")])


# --- goods: CRA ss.19-24 ---------------------------------------------------------------------------


def _goods(facts: PurchaseFacts, on: date, draft: _Draft) -> tuple[date | None, bool, bool]:
    delivered = facts.delivered
    if delivered is None:
        draft.say(
            "The goods have not been delivered yet; the remedies for goods that are not as they should be "
            "start with delivery (CRA 2015 s.19). For late delivery see s.28."
        )
        return None, False, False
    start = max(facts.contract_date, delivered, facts.installation_notified or delivered)
    strr_until = _goods_short_term_reject(facts, on, start, draft)
    presumed = _presumption(facts, delivered, "the goods were delivered", "s.19(14)-(15)", draft)
    _goods_repair(facts, draft)
    _goods_tier_two(facts, draft)
    deduction = _goods_deduction(facts, start, draft)
    return strr_until, presumed, deduction


def _goods_short_term_reject(facts: PurchaseFacts, on: date, start: date, draft: _Draft) -> date | None:
    """CRA ss.20-22, with s.19(4) (none for installation faults) and s.23(6)-(7) (not mid-repair)."""
    if facts.installation_fault:
        draft.say(
            "The fault is in how we installed the goods, so the short-term right to reject does not apply; "
            "you can ask us to put the installation right (CRA 2015 ss.15, 19(4) and 23)."
        )
        return None
    waiting = _waiting(facts, on)
    until = short_term_reject_until(start, perishable_days=facts.perishable_days, waiting=waiting)
    plain_end = short_term_reject_until(start, perishable_days=facts.perishable_days)
    # A waiting period that counts always moves the end later; one that does not leaves it alone.
    waiting_counts = waiting is not None and until != plain_end
    under_way = facts.repair_requested is not None and facts.repair_returned is None
    if facts.reported > until:
        draft.say(
            f"The short-term right to reject ended on {_day(until)}, before you raised the problem on "
            f"{_day(facts.reported)} (CRA 2015 s.22(1))."
        )
    elif under_way and not facts.trader_failed_reasonable_time:
        line = (
            "While we repair or replace the goods you need to give us a reasonable time to finish before you can "
            "reject them (CRA 2015 s.23(6)-(7))."
        )
        if waiting_counts:
            line += f" Your time to reject is paused meanwhile and runs until at least {_day(until)} (s.22(6)-(8))."
        draft.say(line)
    else:
        price = f" of {_money(facts.price)}" if facts.price > 0 else ""
        reason = f"You can reject the goods for a full refund{price} until {_day(until)} (CRA 2015 ss.20 and 22)."
        draft.offer(RemedyCode.SHORT_TERM_REJECT, "CRA 2015 s.22", until, reason)
        draft.say(f"{reason} {_short_term_reject_period(facts, start, until, waiting if waiting_counts else None)}")
    return until


def _short_term_reject_period(facts: PurchaseFacts, start: date, until: date, waiting: tuple[date, date] | None) -> str:
    if facts.installation_notified is not None and start == facts.installation_notified:
        event = "we told you the installation was done"
    elif start == facts.delivered:
        event = "delivery"
    else:
        event = "the contract"
    perishable = facts.perishable_days is not None and facts.perishable_days < SHORT_TERM_REJECT_DAYS
    if perishable:
        line = (
            f"That is {facts.perishable_days} days beginning with the day after {event} on {_day(start)}, because "
            f"goods of this kind can be expected to last only that long (s.22(4))."
        )
    else:
        line = f"That is 30 days beginning with the day after {event} on {_day(start)} (s.22(3))."
    if waiting is not None:
        requested, back = waiting
        line += (
            f" The days from {_day(requested)} to {_day(back)} while we had the goods do not count, and you have "
            f"at least 7 days after getting them back (s.22(6)-(8))."
        )
    return line


def _goods_repair(facts: PurchaseFacts, draft: _Draft) -> None:
    """CRA s.23: repair or replacement, unless both are impossible or disproportionate (s.23(3))."""
    if facts.repair_impossible:
        draft.say("Neither repair nor replacement is possible or proportionate here (CRA 2015 s.23(3)).")
        return
    reason = (
        "You can ask us to repair or replace the goods at no cost to you, within a reasonable time and without "
        "significant inconvenience (CRA 2015 s.23(2))."
    )
    if facts.repair_requested is not None and facts.repair_returned is None:
        reason += f" A repair or replacement has been under way since {_day(facts.repair_requested)}."
    draft.offer(RemedyCode.REPAIR, "CRA 2015 s.23", draft.limitation, reason)
    draft.offer(RemedyCode.REPLACEMENT, "CRA 2015 s.23", draft.limitation, reason)
    draft.say(reason)


def _goods_tier_two(facts: PurchaseFacts, draft: _Draft) -> None:
    """CRA s.24(5): price reduction or final right to reject, only in its three situations."""
    because = []
    if facts.repairs_tried >= 1:
        because.append("after one repair or replacement the goods still do not conform (CRA 2015 s.24(5)(a))")
    if facts.repair_impossible:
        because.append("neither repair nor replacement is possible (CRA 2015 s.24(5)(b))")
    if facts.trader_failed_reasonable_time:
        because.append(
            "we did not repair or replace them within a reasonable time and without significant inconvenience "
            "(CRA 2015 s.24(5)(c))"
        )
    if not because:
        draft.say(
            "A price reduction or the final right to reject becomes available if a repair or replacement does not "
            "put things right, if neither is possible, or if we do not complete one within a reasonable time "
            "(CRA 2015 s.24(5))."
        )
        return
    reason = (
        "You can keep the goods and have the price reduced (up to the full price), or reject them for a refund "
        f"(the final right to reject), because {'; and '.join(because)}."
    )
    draft.offer(RemedyCode.PRICE_REDUCTION, "CRA 2015 s.24", draft.limitation, reason)
    draft.offer(RemedyCode.FINAL_REJECT, "CRA 2015 s.24", draft.limitation, reason)
    draft.say(reason)


def _goods_deduction(facts: PurchaseFacts, start: date, draft: _Draft) -> bool:
    """CRA s.24(8)-(11): no deduction for use within 6 months of delivery, except motor vehicles."""
    no_deduction_end = _last_day_of_months(start + timedelta(days=1), NO_DEDUCTION_MONTHS)
    if facts.motor_vehicle:
        draft.say(
            "If you finally reject the goods, the refund may be reduced for the use you have had of them, because "
            "they are a motor vehicle (CRA 2015 s.24(8) and (10)(a))."
        )
        return True
    if facts.reported > no_deduction_end:
        draft.say(
            "If you finally reject the goods, the refund may be reduced for the use you have had of them, because "
            f"more than 6 months have passed since delivery (after {_day(no_deduction_end)}) (CRA 2015 s.24(8)-(11))."
        )
        return True
    draft.say(
        "If you finally reject the goods, nothing may be deducted for your use of them: the 6 months after delivery "
        f"run until {_day(no_deduction_end)} (CRA 2015 s.24(10)-(11))."
    )
    return False


# --- digital content: CRA ss.42-44 -----------------------------------------------------------------


def _digital_content(facts: PurchaseFacts, draft: _Draft) -> tuple[None, bool, bool]:
    draft.say(
        "Digital content cannot be rejected for a refund (CRA 2015 s.42(2)). If it came with goods, it counts as "
        "part of the goods and the goods remedies apply (s.16)."
    )
    supplied = facts.delivered
    if supplied is None:
        draft.say("The digital content has not been supplied yet; its remedies start with supply (CRA 2015 s.42).")
        return None, False, False
    if facts.repair_impossible:
        draft.say("Neither repair nor replacement is possible or proportionate here (CRA 2015 s.43(3)).")
    else:
        reason = (
            "You can ask us to repair or replace the digital content at no cost to you, within a reasonable time and "
            "without significant inconvenience (CRA 2015 s.43(2))."
        )
        draft.offer(RemedyCode.REPAIR, "CRA 2015 s.43", draft.limitation, reason)
        draft.offer(RemedyCode.REPLACEMENT, "CRA 2015 s.43", draft.limitation, reason)
        draft.say(reason)
    because = []
    if facts.repair_impossible:
        because.append("neither repair nor replacement is possible (CRA 2015 s.44(3)(a))")
    if facts.trader_failed_reasonable_time:
        because.append(
            "we did not repair or replace it within a reasonable time and without significant inconvenience "
            "(CRA 2015 s.44(3)(b))"
        )
    if because:
        reason = f"You can have the price reduced, up to the full price, because {'; and '.join(because)}."
        draft.offer(RemedyCode.PRICE_REDUCTION, "CRA 2015 s.44", draft.limitation, reason)
        draft.say(reason)
    else:
        draft.say(
            "A price reduction becomes available if neither repair nor replacement is possible, or if we do not "
            "complete one within a reasonable time and without significant inconvenience (CRA 2015 s.44(3))."
        )
    presumed = _presumption(facts, supplied, "the digital content was supplied", "s.42(9)-(10)", draft)
    return None, presumed, False


# --- services: CRA ss.49-57 ------------------------------------------------------------------------


def _service(facts: PurchaseFacts, draft: _Draft) -> tuple[None, bool, bool]:
    breach = facts.service_breach
    if breach is None:
        draft.say(
            "No breach of the statutory terms about the service (CRA 2015 ss.49-52) is recorded, so there is no "
            "statutory remedy for the service itself."
        )
        return None, False, False
    if breach is ServiceBreach.REASONABLE_TIME:
        reason = (
            "The service was not performed within a reasonable time (CRA 2015 s.52), so you can have the price "
            "reduced, up to the full price (ss.54(5) and 56)."
        )
        draft.offer(RemedyCode.PRICE_REDUCTION, "CRA 2015 s.56", draft.limitation, reason)
        draft.say(reason)
        return None, False, False
    term = (
        "with reasonable care and skill (CRA 2015 s.49)"
        if breach is ServiceBreach.REASONABLE_CARE
        else "as we told you it would be (CRA 2015 s.50)"
    )
    if facts.repair_impossible:
        draft.say(f"The service was not performed {term}, and performing it again is impossible (s.55(3)).")
    else:
        reason = (
            f"The service was not performed {term}, so you can ask us to perform it again, at no cost to you, within "
            "a reasonable time and without significant inconvenience (ss.54(3) and 55)."
        )
        draft.offer(RemedyCode.REPEAT_PERFORMANCE, "CRA 2015 s.55", draft.limitation, reason)
        draft.say(reason)
    because = []
    if facts.repair_impossible:
        because.append("performing the service again is impossible (CRA 2015 s.56(3)(a))")
    if facts.trader_failed_reasonable_time:
        because.append(
            "we did not perform it again within a reasonable time and without significant inconvenience "
            "(CRA 2015 s.56(3)(b))"
        )
    if because:
        reason = f"You can have the price reduced, up to the full price, because {'; and '.join(because)}."
        draft.offer(RemedyCode.PRICE_REDUCTION, "CRA 2015 s.56", draft.limitation, reason)
        draft.say(reason)
    else:
        draft.say(
            "A price reduction becomes available if performing the service again is impossible, or if we do not do "
            "it within a reasonable time and without significant inconvenience (CRA 2015 s.56(3))."
        )
    return None, False, False


# --- shared rules ----------------------------------------------------------------------------------


def _presumption(facts: PurchaseFacts, delivered: date, event: str, section: str, draft: _Draft) -> bool:
    """CRA s.19(14)-(15) (goods) and s.42(9)-(10) (digital content): the 6-month presumption."""
    window_end = _last_day_of_months(delivered, PRESUMPTION_MONTHS)
    if facts.reported > window_end:
        draft.say(
            f"The problem showed more than 6 months after {event} (after {_day(window_end)}), so it is for you to "
            f"show it was there from the start (CRA 2015 {section})."
        )
        return False
    if facts.presumption_rebutted:
        draft.say(
            "The usual rule that a fault showing within 6 months was there from the start does not apply here: it is "
            f"shown that there was no fault then, or the rule does not fit the item or the fault (CRA 2015 {section})."
        )
        return False
    perishable = facts.perishable_days
    if perishable is not None and facts.reported > delivered + timedelta(days=perishable):
        draft.say(
            f"The goods could be expected to last {perishable} days, so a problem that showed after that is not taken "
            "to have been there on delivery (CRA 2015 s.19(15)(b))."
        )
        return False
    line = (
        f"A fault that shows within 6 months of the day {event} (by {_day(window_end)}) is taken to have been there "
        f"from the start, unless we show otherwise (CRA 2015 {section})."
    )
    if facts.kind is Kind.GOODS:
        line += " This does not apply to the short-term right to reject."
    draft.say(line)
    return True


def _cancellation(facts: PurchaseFacts, draft: _Draft) -> date | None:
    """CCR regs.29-31 (and reg.28(1)(d)): cancelling a distance or off-premises contract."""
    if not facts.distance_sale:
        return None
    if facts.perishable_days is not None:
        draft.say(
            "Goods that go off quickly cannot be cancelled under the Consumer Contracts Regulations "
            "(CCR 2013 reg.28(1)(d))."
        )
        return None
    if facts.kind is Kind.GOODS:
        base = facts.delivered
        counted_from = "after the day the goods arrived (CCR 2013 reg.30(4))"
    else:
        base = facts.contract_date
        counted_from = "after the day the contract was made (CCR 2013 reg.30(3))"
    until: date | None = None
    if base is None:
        why = "until 14 days after the day the goods arrive (CCR 2013 regs.29-30)"
    else:
        until, why = _cancellation_end(facts, base, counted_from)
    if until is None or facts.reported <= until:
        draft.offer(
            RemedyCode.CANCEL,
            "CCR 2013 reg.29",
            until,
            f"You can cancel the contract without giving a reason {why}.",
        )
        draft.say(f"You can cancel the contract without giving a reason {why}.{_cancellation_caveat(facts.kind)}")
    else:
        draft.say(f"The right to cancel ended on {_day(until)} (CCR 2013 regs.29-31).")
    return until


def _cancellation_end(facts: PurchaseFacts, base: date, counted_from: str) -> tuple[date, str]:
    normal_end = base + timedelta(days=CANCELLATION_DAYS)
    if facts.cancellation_info_given:
        return normal_end, f"until {_day(normal_end)}: 14 days {counted_from}"
    received = facts.cancellation_info_received
    window_end = _last_day_of_months(base + timedelta(days=1), CANCELLATION_EXTENSION_MONTHS)
    if received is not None and received <= window_end:
        # reg.31(2); information received before the period began cannot shorten it.
        until = max(normal_end, received + timedelta(days=CANCELLATION_DAYS))
        return until, (
            f"until {_day(until)}: we told you about this right late, on {_day(received)}, so you have 14 days after "
            "that (CCR 2013 reg.31(2))"
        )
    until = _add_months(normal_end, CANCELLATION_EXTENSION_MONTHS)
    return until, (
        f"until {_day(until)}: we did not tell you about this right, so the usual 14 days {counted_from} are extended "
        "by 12 months (reg.31(3))"
    )


def _cancellation_caveat(kind: Kind) -> str:
    if kind is Kind.DIGITAL_CONTENT:
        return (
            " If you agreed to the download starting straight away and acknowledged that you would lose this right, "
            "it has gone (reg.37)."
        )
    if kind is Kind.SERVICE:
        return (
            " If you asked us to start within the 14 days you may have to pay for what was done, and once the service "
            "is complete at your request the right may have gone (reg.36)."
        )
    return ""


def _waiting(facts: PurchaseFacts, on: date) -> tuple[date, date] | None:
    """The s.22(8) waiting period: request to return; one still under way is counted up to ``on``."""
    if facts.repair_requested is None:
        return None
    return facts.repair_requested, facts.repair_returned or on


def _accrual(facts: PurchaseFacts) -> date:
    """When the breach happened, for limitation (see judgement call 10)."""
    if facts.delivered is None:
        return facts.contract_date
    if facts.kind is Kind.GOODS and facts.installation_fault and facts.installation_notified is not None:
        return max(facts.contract_date, facts.installation_notified)
    return max(facts.contract_date, facts.delivered)


def _limitation_statute(nation: Nation) -> str:
    return {
        Nation.ENGLAND: "Limitation Act 1980 s.5",
        Nation.WALES: "Limitation Act 1980 s.5",
        Nation.NORTHERN_IRELAND: "Limitation (Northern Ireland) Order 1989 art.4(a)",
        Nation.SCOTLAND: "Prescription and Limitation (Scotland) Act 1973 s.6 and Sch.1 para.1(g)",
    }[nation]


def _limitation_line(nation: Nation, accrued: date, until: date) -> str:
    if nation is Nation.SCOTLAND:
        return (
            f"Under Scots law our obligation ends on {_day(until)}, 5 years after it became enforceable on "
            f"{_day(accrued)}, unless before then a relevant claim (such as court proceedings) is made or we "
            f"acknowledge the obligation ({_limitation_statute(nation)})."
        )
    return (
        f"A court claim about this must be started by {_day(until)}, 6 years from {_day(accrued)} "
        f"({_limitation_statute(nation)})."
    )


def _refund_section(kind: Kind) -> str:
    return {
        Kind.GOODS: "CRA 2015 s.20(15)",
        Kind.DIGITAL_CONTENT: "CRA 2015 s.44(4)",
        Kind.SERVICE: "CRA 2015 s.56(4)",
    }[kind]


class _Draft:
    """The remedies and explanation lines as the rules add them; no remedy outlives limitation."""

    def __init__(self, limitation: date) -> None:
        self.limitation = limitation
        self.remedies: list[Remedy] = []
        self.lines: list[str] = []

    def offer(self, code: RemedyCode, section: str, until: date | None, reason: str) -> None:
        # None stays None: the last day of an open-ended right (goods not yet delivered) is not known yet.
        capped = None if until is None else min(until, self.limitation)
        self.remedies.append(Remedy(code, section, capped, reason))

    def say(self, line: str) -> None:
        self.lines.append(line)


# --- dates and words -------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """The same date ``months`` later; the month's last day when it has no such date."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _last_day_of_months(first: date, months: int) -> date:
    """Last day of a period of ``months`` months beginning with ``first``."""
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if first.day > last:
        return date(year, month, last)
    return date(year, month, first.day) - timedelta(days=1)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _member(enum: type[_E], value: object, name: str) -> _E:
    if isinstance(value, enum):
        return value
    if isinstance(value, str) and value in {member.value for member in enum}:
        return enum(value)
    allowed = ", ".join(member.value for member in enum)
    raise ValueError(UNKNOWN_VALUE.format(name=name, allowed=allowed, value=value))
