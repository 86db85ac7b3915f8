"""Demo knowledge base: plain-English UK articles on refunds and the Consumer Rights Act 2015,
returns, delivery, accessibility, data requests and complaints; internal guidance for staff; two
articles overdue for review; readers' feedback, searches and some deflections."""

# ruff: noqa: E501 - article texts, kept as written
from __future__ import annotations

from datetime import datetime, timedelta

from rapport.accounts.models import Role, User
from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.knowledge import services
from rapport.knowledge.models import Article, Category, Deflection, Feedback, Outcome, SearchLog, Section, Synonym

PUB, INT = "public", "internal"

ARTICLES: list[tuple[str, str, str, str, str, str]] = [
    (
        "Refunds and your rights",
        "Faulty goods",
        PUB,
        "Your 30-day right to reject faulty goods",
        "If something you bought is faulty, you can reject it and get a full refund within 30 days.",
        "## What the law says\n\nUnder the Consumer Rights Act 2015, goods must be of satisfactory quality, fit for "
        "purpose and as described. If they are not, you have a **short-term right to reject** them for 30 days from "
        "the day you took ownership and they were delivered.\n\n## How to use it\n\n- Tell us the item is faulty and "
        "that you want to reject it.\n- We'll arrange to collect it or tell you how to send it back, at our cost.\n- "
        "We refund you within 14 days of agreeing that you're entitled to it, to the way you paid.\n\n## After 30 days"
        "\n\nYou can still ask for a repair or replacement. See *Repair, replacement and your final right to reject*.",
    ),
    (
        "Refunds and your rights",
        "Faulty goods",
        PUB,
        "Repair, replacement and your final right to reject",
        "After 30 days, a faulty item can be repaired or replaced; if that fails, you can have your money back.",
        "## Repair or replacement\n\nIf a fault appears after the first 30 days, or within them if you prefer, you can "
        "ask us to repair or replace the item. We must do this within a reasonable time and without significant "
        "inconvenience to you, and pay the costs.\n\n## If the repair or replacement doesn't work\n\nIf one repair or "
        "replacement fails, you can choose a **price reduction** or use your **final right to reject** and get a refund."
        "\n\n## The first six months\n\nA fault that shows in the first six months is taken to have been there when "
        "the item was delivered, unless we can show otherwise. Within those six months we make no deduction for the "
        "use you've had (except for cars).",
    ),
    (
        "Refunds and your rights",
        "Faulty goods",
        PUB,
        "What counts as faulty",
        "Satisfactory quality, fit for purpose and as described: what the law expects of what you buy.",
        "## Satisfactory quality\n\nAn item should be free from minor defects, safe and durable, taking account of the "
        "price and how it was described.\n\n## Fit for purpose\n\nIt should do what items of its kind normally do, "
        "and anything particular you told us you needed it for.\n\n## As described\n\nIt should match the description, "
        "pictures and any model or sample you saw.",
    ),
    (
        "Refunds and your rights",
        "Getting your money back",
        PUB,
        "How long a refund takes",
        "We refund within 14 days of agreeing a refund; your bank may take a few more days.",
        "## Our promise\n\nOnce we agree you're entitled to a refund, we pay it within 14 days, to the card or account "
        "you paid with.\n\n## Why it may take longer to appear\n\nCard refunds can take 3 to 5 working days to show on "
        "your statement after we send them.\n\n## If it hasn't arrived\n\nRaise a case with your order number and we'll "
        "check where it is.",
    ),
    (
        "Refunds and your rights",
        "Getting your money back",
        PUB,
        "Paying by credit card: Section 75 and chargeback",
        "Your card provider may also help if we can't put things right.",
        "## Section 75\n\nIf you paid by credit card for something costing more than £100 and up to £30,000, the card "
        "provider is jointly responsible with us under section 75 of the Consumer Credit Act 1974.\n\n## Chargeback"
        "\n\nFor debit cards, and credit card payments under £100, your bank may be able to reverse the payment through "
        "chargeback. Ask your bank; there are time limits, usually 120 days.",
    ),
    (
        "Refunds and your rights",
        "Getting your money back",
        PUB,
        "Refunds for services that weren't done properly",
        "Services must be carried out with reasonable care and skill; if not, we put it right or reduce the price.",
        "## Your rights\n\nUnder the Consumer Rights Act 2015, a service must be carried out with reasonable care and "
        "skill, within a reasonable time and for a reasonable price if none was agreed.\n\n## What we'll do\n\nFirst, "
        "we'll repeat the service, or the part that wasn't right, at no cost. If we can't, or can't within a reasonable "
        "time, you're entitled to a price reduction, which can be up to the full price.",
    ),
    (
        "Returns",
        "Changing your mind",
        PUB,
        "Changed your mind? Returning something bought online",
        "You have 14 days to cancel most online or phone orders, and 14 more days to send the item back.",
        "## The cancellation period\n\nFor most things bought online, by phone or by mail order you can cancel within "
        "14 days of the day after you receive them, for any reason (Consumer Contracts Regulations 2013).\n\n## "
        "Sending it back\n\nTell us you're cancelling, then return the item within 14 days. Unless the item is faulty, "
        "you may pay the return postage.\n\n## Your refund\n\nWe refund the price and standard delivery within 14 days "
        "of getting the item back, or of you showing us you've sent it.",
    ),
    (
        "Returns",
        "Changing your mind",
        PUB,
        "Things you can't return just because you changed your mind",
        "Some items, like personalised or sealed hygiene goods, can't be returned unless they're faulty.",
        "## Exceptions\n\n- Items made to your specification or personalised.\n- Sealed items for health or hygiene "
        "reasons, once unsealed.\n- Perishable goods.\n- Sealed audio, video or software, once unsealed.\n\n## Faulty "
        "items\n\nThese exceptions never affect your rights when something is faulty.",
    ),
    (
        "Returns",
        "Sending items back",
        PUB,
        "How to send a return",
        "Print your returns label, pack the item securely and drop it at any post office.",
        "## Step by step\n\n1. Raise a return from your case or order.\n2. Print the label we email you, or show the QR "
        "code at the counter.\n3. Pack the item securely in its original packaging if you have it.\n4. Keep your proof "
        "of postage until your refund arrives.",
    ),
    (
        "Returns",
        "Sending items back",
        PUB,
        "Large items: booking a collection",
        "We collect sofas, white goods and other large items free of charge when they are faulty.",
        "## Booking\n\nRaise a case and choose a collection date. We offer morning or afternoon slots.\n\n## On the "
        "day\n\nPlease have the item ready and, for fridges and freezers, defrosted and dry.",
    ),
    (
        "Delivery",
        "Delivery times",
        PUB,
        "When will my order arrive?",
        "Standard delivery takes 3 to 5 working days; we'll email you a tracking link.",
        "## Our delivery times\n\n- Standard: 3 to 5 working days.\n- Next day: order by 8pm, Monday to Thursday.\n\n## "
        "Tracking\n\nWe email a tracking link when your order leaves our warehouse.",
    ),
    (
        "Delivery",
        "Delivery times",
        PUB,
        "My delivery is late",
        "If we haven't delivered within the time agreed, or 30 days if none was, you may be able to cancel.",
        "## Your rights\n\nUnless we agreed another time, we must deliver without undue delay and within 30 days "
        "(Consumer Rights Act 2015, section 28).\n\n## If it's late\n\nIf delivery by a date was essential and we "
        "missed it, you can cancel and get a full refund. Otherwise you can set a new, reasonable deadline; if we miss "
        "that, you can cancel.",
    ),
    (
        "Delivery",
        "Problems with a delivery",
        PUB,
        "My parcel arrived damaged",
        "Tell us within 30 days and we'll replace or refund it: the item is our responsibility until it reaches you.",
        "## Who is responsible\n\nGoods remain our responsibility until they are in your hands, or those of someone you "
        "nominated.\n\n## What to do\n\nRaise a case with a photo of the damage if you can. You don't need to keep the "
        "outer packaging.",
    ),
    (
        "Delivery",
        "Problems with a delivery",
        PUB,
        "My parcel says delivered but I haven't got it",
        "Check with neighbours and your safe place, then tell us and we'll investigate with the courier.",
        "## First checks\n\n- Your nominated safe place.\n- Neighbours.\n- A card through the door.\n\n## Then\n\nRaise "
        "a case within 7 days. Until you have the goods, they remain our responsibility.",
    ),
    (
        "Accessibility",
        "Adjustments",
        PUB,
        "Asking for a reasonable adjustment",
        "Tell us what would make it easier to deal with us: large print, extra time, a named contact or other help.",
        "## What we offer\n\n- Letters and emails in large print or plain text.\n- Extra time to reply to us.\n- A named "
        "contact or an advocate who can speak for you.\n- Calls through Relay UK (dial 18001 before our number).\n\n## "
        "Your rights\n\nUnder the Equality Act 2010 we make reasonable adjustments so disabled customers are not at a "
        "disadvantage. You don't have to tell us about a diagnosis; just what helps.",
    ),
    (
        "Accessibility",
        "Adjustments",
        PUB,
        "Getting information in another format",
        "Every help article is available as plain text and as a large-print PDF.",
        "## Formats\n\nUnder every article you'll find links to a **plain text** version (for screen readers and "
        "braille displays) and a **large-print PDF** (16 point and larger).\n\n## Something else?\n\nRaise a case and "
        "tell us what you need, for example easy read or a phone call instead of a letter.",
    ),
    (
        "Accessibility",
        "Adjustments",
        PUB,
        "Someone helping you with your account",
        "You can name a family member, carer or advocate to talk to us for you.",
        "## Naming someone\n\nRaise a case telling us who they are and what they can help with. We'll confirm with you "
        "before we speak to them.\n\n## Power of attorney\n\nIf someone holds a lasting power of attorney for you, send "
        "us a copy and we'll add it to your account.",
    ),
    (
        "Your data",
        "Your data rights",
        PUB,
        "Asking for a copy of your data",
        "You can ask for the personal data we hold about you; we answer within one month.",
        "## Your right of access\n\nUnder UK GDPR (Article 15) you can ask for a copy of your personal data and how we "
        "use it. It's free in most cases.\n\n## How long it takes\n\nWe reply within **one month** of receiving your "
        "request and any ID we need. For complex or many requests we can extend by up to two further months; we'd tell "
        "you within the first month.\n\n## How to ask\n\nRaise a case with the type *Data request*, or write to us.",
    ),
    (
        "Your data",
        "Your data rights",
        PUB,
        "Correcting or deleting your data",
        "You can ask us to correct wrong information and, in some cases, to delete it.",
        "## Correction\n\nTell us what's wrong and we'll correct it within one month.\n\n## Deletion\n\nYou can ask us to "
        "erase your data when we no longer need it, or you withdraw consent. We may keep some records we must hold by "
        "law, such as invoices, and we'll tell you which.",
    ),
    (
        "Your data",
        "Your data rights",
        PUB,
        "Stopping marketing messages",
        "You can opt out of marketing at any time, by email link, in your account or by telling us.",
        "## How to stop\n\n- Use the unsubscribe link in any marketing email.\n- Reply STOP to a marketing text.\n- Tell "
        "us in a case.\n\nWe'll still send messages about your orders and cases.",
    ),
    (
        "Complaints",
        "Making a complaint",
        PUB,
        "How to make a complaint",
        "Tell us what went wrong and what you'd like us to do; we'll acknowledge it within one working day.",
        "## How to complain\n\nRaise a case and choose *Complaint*, or tell any of our team. Say what happened and what "
        "would put it right.\n\n## What happens next\n\n1. We acknowledge your complaint within one working day.\n2. A "
        "named person investigates.\n3. We send you a final response explaining what we found and what we'll do.",
    ),
    (
        "Complaints",
        "Making a complaint",
        PUB,
        "Taking your complaint to an ombudsman",
        "If you're unhappy with our final response, or we haven't replied in 8 weeks, an ombudsman can look at it.",
        "## When you can go to the ombudsman\n\n- After our final response, if you're not satisfied.\n- Or 8 weeks after "
        "you complained, if we haven't sent a final response.\n\n## Time limits\n\nYou usually have six months from our "
        "final response. The ombudsman's service is free.\n\n## Data complaints\n\nFor complaints about how we use your "
        "data, you can contact the Information Commissioner's Office (ICO).",
    ),
    (
        "Complaints",
        "Making a complaint",
        PUB,
        "What our final response will tell you",
        "A clear decision, the reasons for it, what we'll do, and your right to go to the ombudsman.",
        "## In every final response\n\n- What you complained about, as we understood it.\n- What we found and "
        "decided.\n- What we'll do to put it right, and by when.\n- How to take it to the ombudsman, and the time limit.",
    ),
    (
        "Your account",
        "Signing in",
        PUB,
        "Resetting your password",
        "Use 'Forgotten password' on the sign-in page; the link lasts one hour.",
        "## Steps\n\n1. Choose *Forgotten password* on the sign-in page.\n2. Enter your email address.\n3. Follow the "
        "link we email you within one hour.\n\n## No email?\n\nCheck your spam folder, then raise a case.",
    ),
    (
        "Your account",
        "Orders",
        PUB,
        "Changing or cancelling an order",
        "You can change or cancel an order until it has been dispatched.",
        "## Before dispatch\n\nChange or cancel from your order page, or raise a case.\n\n## After dispatch\n\nYou can "
        "still cancel under your 14-day cancellation right once it arrives.",
    ),
    (
        "Handling cases",
        "Refunds",
        INT,
        "Refund authority limits",
        "Who may approve a refund or goodwill payment, and how much.",
        "## Limits\n\n- Agents: goodwill up to £50.\n- Team leaders: up to £250.\n- Managers: up to £1,000.\n- Above "
        "£1,000: head of service.\n\n## Statutory refunds\n\nA refund the customer is entitled to by law is never "
        "limited by these amounts: approve it and record the right used.",
    ),
    (
        "Handling cases",
        "Refunds",
        INT,
        "Handling a faulty goods claim step by step",
        "Check the dates, decide which right applies, and tell the customer in plain English.",
        "## Check the dates\n\n- Within 30 days of delivery: short-term right to reject.\n- Within six months: fault "
        "presumed present at delivery.\n\n## Decide\n\nOffer what the customer is entitled to first; goodwill comes "
        "after.\n\n## Reply\n\nInsert the public article on their right and link the case to it.",
    ),
    (
        "Handling cases",
        "Vulnerability",
        INT,
        "Recognising a customer in vulnerable circumstances",
        "Signs to listen for, and what to record (with consent).",
        "## Listen for\n\n- Mentions of bereavement, illness or money worries.\n- Confusion or repeated questions.\n\n## "
        "Do\n\nAsk what would help, record adjustments with consent, and give extra time.",
    ),
    (
        "Handling cases",
        "Complaints",
        INT,
        "Complaint handling: the HEAT stages",
        "Hear, empathise, apologise, take ownership: what each stage looks like in a reply.",
        "## Hear\n\nLet the customer explain fully.\n\n## Empathise\n\nReflect what it meant to them.\n\n## Apologise\n\n"
        "Say sorry for their experience.\n\n## Take ownership\n\nSay what you will do and by when.",
    ),
    (
        "Handling cases",
        "Data requests",
        INT,
        "Handling a subject access request",
        "Verify identity, log the request, and answer within one month.",
        "## Steps\n\n1. Record the request as a *Data request*: the one-month clock starts on receipt.\n2. Verify "
        "identity proportionately.\n3. Gather the data with the subject access bundle.\n4. Redact third-party data.\n\n"
        "## Extensions\n\nOnly for complex or numerous requests, by up to two months, and tell the customer within the "
        "first month.",
    ),
    (
        "Handling cases",
        "Escalation",
        INT,
        "When and how to escalate",
        "Escalate threats of harm, legal action, media and regulator contact straight away.",
        "## Escalate at once\n\n- Risk of harm to the customer or others.\n- Legal action or solicitor's letters.\n- "
        "Media or regulator contact.\n\n## How\n\nAssign the case to your team leader and add an internal note.",
    ),
    (
        "Handling cases",
        "Writing replies",
        INT,
        "Writing in plain English",
        "Short sentences, everyday words, and the answer first.",
        "## Rules of thumb\n\n- Put the answer first.\n- Use *you* and *we*.\n- Keep sentences under 20 words.\n- Avoid "
        "jargon; explain any legal term once.",
    ),
]

SYNONYMS = [
    "refund, money back, reimbursement",
    "parcel, package, delivery",
    "faulty, broken, defective, stopped working",
    "complaint, complain",
    "data request, subject access request",
]


def seed(*, now: datetime) -> None:
    if Article.objects.exists():
        return
    agent = User.objects.filter(role=Role.AGENT).order_by("id").first()
    approver = User.objects.filter(role=Role.MANAGER).order_by("id").first()
    if agent is None or approver is None:
        return
    for phrases in SYNONYMS:
        Synonym.objects.get_or_create(phrases=phrases)
    made: list[Article] = []
    for position, (category_name, section_name, audience, title, summary, body) in enumerate(ARTICLES):
        category, _ = Category.objects.get_or_create(
            name=category_name, defaults={"slug": category_name.lower().replace(" ", "-"), "position": position}
        )
        section, _ = Section.objects.get_or_create(category=category, name=section_name)
        at = now - timedelta(days=120 - position)
        article = services.article_create(
            actor=agent,
            title=title,
            summary=summary,
            body=body,
            audience=audience,
            section=section,
            owner=agent if position % 2 else approver,
            review_due=(now + timedelta(days=200 + position)).date(),
            now=at,
        )
        if audience == PUB:
            services.transition(actor=agent, article_id=article.pk, action="submit", expected_version=1, now=at)
            services.transition(actor=approver, article_id=article.pk, action="approve", expected_version=2, now=at)
        else:
            services.transition(actor=agent, article_id=article.pk, action="publish", expected_version=1, now=at)
        made.append(article)
    # Two reviews overdue: the late-delivery article and the authority limits.
    Article.objects.filter(title__in=["My delivery is late", "Refund authority limits"]).update(
        review_due=(now - timedelta(days=12)).date()
    )
    made[0].related.set([made[1], made[2]])
    made[1].related.set([made[0], made[4]])
    _readers(made, now)


def _readers(articles: list[Article], now: datetime) -> None:
    """Feedback, searches and deflections, as a quarter of customers' use would leave them."""
    public = [a for a in articles if a.audience == PUB]
    votes = []
    for i, article in enumerate(public):
        for j in range(i % 5 + 2):
            helpful = (i + j) % 4 != 0
            votes.append(
                Feedback(
                    article=article,
                    helpful=helpful,
                    reason="" if helpful else ("not_answered", "unclear")[j % 2],
                    public=True,
                    at=now - timedelta(days=j + 1),
                )
            )
    Feedback.objects.bulk_create(votes)
    searches = [
        ("refund", 3),
        ("money back", 3),
        ("late delivery", 2),
        ("gift card balance", 0),
        ("price match", 0),
        ("klarna payment", 0),
        ("returns label", 1),
        ("gift card balance", 0),
    ]
    SearchLog.objects.bulk_create(
        [
            SearchLog(query=q, public=True, results=n, at=now - timedelta(hours=k + 1))
            for k, (q, n) in enumerate(searches)
        ]
    )
    customers = list(Customer.objects.order_by("id")[:12])
    deflections = []
    for k, customer in enumerate(customers):
        article = public[k % 6]
        raised = k % 3 == 0
        case = Case.objects.filter(customer=customer).order_by("id").first() if raised else None
        deflections.append(
            Deflection(
                article=article,
                customer=customer,
                at=now - timedelta(days=k + 2),
                outcome=Outcome.RAISED if raised and case else Outcome.DEFLECTED,
                decided_at=now - timedelta(days=k + 1),
                case=case,
            )
        )
    Deflection.objects.bulk_create(deflections)
