"""How many people a live channel needs: Erlang C, service level, and shrinkage.

Seed 004 asks planners to "allocate resources" to meet the service promised; for channels where
customers wait on the line (phone, chat) the standard model is the M/M/N queue, whose probability
of waiting is Erlang's C formula (A. K. Erlang, "Solution of some problems in the theory of
probabilities of significance in automatic telephone exchanges", 1917). Deferred channels (email,
the portal, letters) are planned from workload against their SLA targets instead; see
``rapport.workforce``.

Terms (every probability, service level, target, occupancy and shrinkage is a fraction from 0 to 1,
never a percentage):

* traffic ``A`` in Erlangs = calls * AHT ÷ interval length: how many agents would be busy all the
  time if the work arrived perfectly evenly.
* ``N`` agents answering. With ``N ≤ A`` the queue never settles: it grows for as long as the
  interval lasts, so every caller waits and the waits have no finite mean.
* Erlang B by its recursion ``B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1))`` (D. L. Jagerman, "Some
  properties of the Erlang loss function", Bell System Technical Journal 53(3), 1974): no factorial
  or power is ever formed, so hundreds of agents and thousands of Erlangs neither overflow nor lose
  precision, and every term stays between 0 and 1.
* Erlang C from Erlang B: ``C = N·B / (N - A·(1 - B))`` (R. B. Cooper, *Introduction to Queueing
  Theory*, 2nd ed., 1981, §3.4): the probability that a contact waits at all.
* Service level within ``T`` seconds: ``SL = 1 - C·exp(-(N - A)·T / AHT)``; average speed of answer
  ``ASA = C·AHT / (N - A)``; occupancy ``A / N`` (N. Gans, G. Koole and A. Mandelbaum, "Telephone
  call centers: tutorial, review, and research prospects", Manufacturing & Service Operations
  Management 5(2), 2003, §4.1).
* Shrinkage: the share of paid time in which an agent cannot answer (leave, sickness, training,
  coaching, meetings). To have ``N`` answering, ``N ÷ (1 - shrinkage)`` must be scheduled, rounded
  up: computed in whole numbers from the decimal as written, so 14 agents at 30% shrinkage is 20
  on the rota, not the 21 that binary floating point gives (14 / (1 - 0.3) = 20.000000000000004).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

NOT_SETTLED = "with {agents} agents for {traffic:.2f} Erlangs the queue never settles"
NEGATIVE = "{name} cannot be negative, not {value!r}"
NOT_POSITIVE = "{name} must be more than 0, not {value!r}"
NOT_A_FRACTION = "{name} is a fraction from 0 to 1 (0.8 for 80%), not {value!r}"
NOT_WHOLE = "{name} is a whole number of agents, not {value!r}"
NO_TARGET = "give at least one target: sl_target, target_prob_wait or max_occupancy"
SL_NEEDS_TIME = "sl_target needs target_answer_seconds: the service level is 'answered within T seconds'"
SL_UNREACHABLE = "no number of agents answers every contact in time under Erlang C; sl_target must be below 1"
ALWAYS_WAITS = "no number of agents makes nobody wait under Erlang C; target_prob_wait must be above 0"


@dataclass(frozen=True)
class Staffing:
    """What a number of agents delivers for one interval's demand."""

    traffic: float  # Erlangs
    agents: int  # answering
    scheduled: int  # on the rota, once shrinkage is allowed for
    prob_wait: float  # Erlang C
    service_level: float | None  # answered within the target time; None without a target time
    asa_seconds: float  # mean wait, over every contact (math.inf when the queue never settles)
    occupancy: float  # share of answering time spent handling contacts
    answered_immediately: float  # 1 - prob_wait

    @property
    def settles(self) -> bool:
        """Whether the queue reaches a steady state (more agents than the traffic)."""
        return self.agents > self.traffic


def _non_negative(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(NEGATIVE.format(name=name, value=value))
    return float(value)


def _positive(name: str, value: float) -> float:
    if _non_negative(name, value) == 0:
        raise ValueError(NOT_POSITIVE.format(name=name, value=value))
    return float(value)


def _fraction(name: str, value: float | None, *, low_open: bool = False, high_open: bool = False) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(NOT_A_FRACTION.format(name=name, value=value))
    if value < 0 or value > 1 or (low_open and value == 0) or (high_open and value == 1):
        raise ValueError(NOT_A_FRACTION.format(name=name, value=value))
    return float(value)


def _agents(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(NOT_WHOLE.format(name="agents", value=value))
    if value < 0:
        raise ValueError(NEGATIVE.format(name="agents", value=value))
    return value


def traffic_erlangs(*, calls: float, interval_minutes: float, aht_seconds: float) -> float:
    """Offered traffic in Erlangs: calls * AHT ÷ the interval's length, both in seconds."""
    calls = _non_negative("calls", calls)
    interval = _positive("interval_minutes", interval_minutes)
    aht = _positive("aht_seconds", aht_seconds)
    return calls * aht / (interval * 60)


def _erlang_b(traffic: float, agents: int) -> float:
    """Erlang B by Jagerman's recursion (module docstring)."""
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return b


def _c_from_b(traffic: float, agents: int, b: float) -> float:
    return agents * b / (agents - traffic * (1 - b))


def erlang_c(*, traffic: float, agents: int) -> float:
    """The probability that a contact waits, for ``traffic`` Erlangs offered to ``agents``.

    1.0 when ``agents ≤ traffic``: the queue never settles, so everyone waits.
    """
    traffic = _non_negative("traffic", traffic)
    agents = _agents(agents)
    if agents <= traffic:
        return 1.0
    return _c_from_b(traffic, agents, _erlang_b(traffic, agents))


def scheduled_for(agents: int, shrinkage: float) -> int:
    """Agents to put on the rota so that ``agents`` are answering: ⌈agents ÷ (1 - shrinkage)⌉,
    exactly (the floats are read as the decimals they were written as)."""
    share = _fraction("shrinkage", shrinkage, high_open=True)
    assert share is not None
    # The share as the decimal it was written as (0.3 is 3/10, not 0.29999…), then whole numbers.
    numerator, denominator = Decimal(str(share)).as_integer_ratio()
    return -(-_agents(agents) * denominator // (denominator - numerator))


def _service_level(traffic: float, agents: int, prob_wait: float, aht: float, answer_time: float) -> float:
    return 1 - prob_wait * math.exp(-(agents - traffic) * answer_time / aht)


def _figures(
    traffic: float, agents: int, prob_wait: float, aht: float, target_answer_seconds: float | None, shrinkage: float
) -> Staffing:
    scheduled = scheduled_for(agents, shrinkage)
    if agents <= traffic:
        return Staffing(
            traffic=traffic,
            agents=agents,
            scheduled=scheduled,
            prob_wait=1.0,
            service_level=None if target_answer_seconds is None else 0.0,
            asa_seconds=math.inf,
            occupancy=1.0,
            answered_immediately=0.0,
        )
    spare = agents - traffic
    service_level = None
    if target_answer_seconds is not None:
        service_level = _service_level(traffic, agents, prob_wait, aht, target_answer_seconds)
    return Staffing(
        traffic=traffic,
        agents=agents,
        scheduled=scheduled,
        prob_wait=prob_wait,
        service_level=service_level,
        asa_seconds=prob_wait * aht / spare,
        occupancy=traffic / agents,
        answered_immediately=1 - prob_wait,
    )


def staffing(
    *,
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    agents: int,
    target_answer_seconds: float | None = None,
    shrinkage: float = 0.0,
) -> Staffing:
    """The figures for ``agents`` answering ``calls`` arrivals in an interval of ``interval_minutes``
    with an average handling time of ``aht_seconds``."""
    traffic = traffic_erlangs(calls=calls, interval_minutes=interval_minutes, aht_seconds=aht_seconds)
    answer_time = (
        None if target_answer_seconds is None else _non_negative("target_answer_seconds", target_answer_seconds)
    )
    _fraction("shrinkage", shrinkage, high_open=True)
    agents = _agents(agents)
    return _figures(traffic, agents, erlang_c(traffic=traffic, agents=agents), aht_seconds, answer_time, shrinkage)


def required_staff(
    *,
    calls: float,
    interval_minutes: float,
    aht_seconds: float,
    target_answer_seconds: float | None = None,
    sl_target: float | None = None,
    target_prob_wait: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents, more than the traffic, that meet every target given: a service level of
    ``sl_target`` within ``target_answer_seconds``, a probability of waiting of at most
    ``target_prob_wait``, and an occupancy of at most ``max_occupancy``.

    The search climbs from the first settled number of agents, extending Erlang B by one step of
    the recursion per agent, so it costs O(N) however many candidates it tries. Every figure only
    improves as agents are added (C falls with N: Cooper §3.4), so the first that meets every target
    is the fewest.
    """
    traffic = traffic_erlangs(calls=calls, interval_minutes=interval_minutes, aht_seconds=aht_seconds)
    answer_time = (
        None if target_answer_seconds is None else _non_negative("target_answer_seconds", target_answer_seconds)
    )
    sl = _fraction("sl_target", sl_target)
    wait = _fraction("target_prob_wait", target_prob_wait)
    occupancy = _fraction("max_occupancy", max_occupancy, low_open=True)
    _fraction("shrinkage", shrinkage, high_open=True)
    if sl is None and wait is None and occupancy is None:
        raise ValueError(NO_TARGET)
    if sl is not None and answer_time is None:
        raise ValueError(SL_NEEDS_TIME)
    if sl is not None and sl >= 1 and traffic > 0:
        raise ValueError(SL_UNREACHABLE)
    if wait is not None and wait <= 0 and traffic > 0:
        raise ValueError(ALWAYS_WAITS)

    agents = math.floor(traffic) + 1
    b = _erlang_b(traffic, agents)
    while True:
        prob_wait = _c_from_b(traffic, agents, b)
        if _meets(traffic, agents, prob_wait, aht_seconds, answer_time, sl=sl, wait=wait, occupancy=occupancy):
            return _figures(traffic, agents, prob_wait, aht_seconds, answer_time, shrinkage)
        agents += 1
        b = traffic * b / (agents + traffic * b)


def _meets(
    traffic: float,
    agents: int,
    prob_wait: float,
    aht: float,
    answer_time: float | None,
    *,
    sl: float | None,
    wait: float | None,
    occupancy: float | None,
) -> bool:
    """Whether a settled queue meets every target; the same arithmetic as ``_figures``, without
    building the figures (the search tries several candidates per interval)."""
    if sl is not None and answer_time is not None and _service_level(traffic, agents, prob_wait, aht, answer_time) < sl:
        return False
    if wait is not None and prob_wait > wait:
        return False
    return occupancy is None or traffic / agents <= occupancy
