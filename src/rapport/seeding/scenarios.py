"""What customers get in touch about, and how the desk answers: templates for demo and bulk data.

Each scenario is one kind of contact (a kettle that will not heat, a direct debit taken twice …)
with the words each side might use at each step. Templates take these slots, filled per case:
``{first}`` customer's first name, ``{agent}`` the owner's first name, ``{order}``, ``{amount}``,
``{date}``, ``{product}``, ``{account}``, ``{postcode}``, ``{town}``, ``{engineer}``,
``{starter}``, ``{department}``, ``{days}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.domain.case_rules import CaseType

# Who raises a scenario: any external customer, only a company, or an internal customer.
EXTERNAL = "external"
COMPANY = "company"
INTERNAL = "internal"

FRONT_LINE = "Front line"
BILLING = "Billing"
TECHNICAL = "Technical"
COMPLAINTS = "Complaints"


@dataclass(frozen=True)
class Scenario:
    key: str
    team: str
    audience: str
    types: tuple[CaseType, ...]  # the first is the most likely
    subjects: tuple[str, ...]
    openings: tuple[str, ...]  # the customer's first message
    replies: tuple[str, ...]  # the desk's first response
    notes: tuple[str, ...]  # internal notes: never shown to the customer
    follow_ups: tuple[str, ...]  # the customer writes again
    closings: tuple[str, ...]  # the answer that resolves the case
    tags: tuple[str, ...]
    products: tuple[str, ...] = ("order",)
    asks: tuple[str, ...] = ()  # the desk needs something from the customer
    third_party: tuple[str, ...] = ()  # a note when the case waits on someone outside the team
    request_kind: str = ""  # a data subject request: the right it exercises (privacy RequestKind)


GENERIC_ASKS = (
    "Hi {first},\n\nThank you for your patience. So that I can take this further, could you reply with "
    "your order number and a daytime phone number? Once I have those I will pick this up straight away.\n\n"
    "Kind regards,\n{agent}",
    "Hello {first},\n\nI have started looking into this for you. Could you send a photo of the item and "
    "its packaging, and confirm the address it was delivered to? I will keep the case open until I hear "
    "back.\n\nBest wishes,\n{agent}",
)
GENERIC_THIRD_PARTY = (
    "Passed to the supplier's returns desk with photos attached. They promise a reply within {days} "
    "working days; case waiting on them.",
    "Raised with the courier's claims team (ref {account}). Chase on {date} if nothing heard.",
    "Waiting on the back-office team at the manufacturer to confirm stock. Customer told to expect an "
    "update within {days} days.",
)
GENERIC_TAGS = ("repeat-contact", "vulnerable-customer", "vip", "escalated", "social-media", "callback-requested")
GENERAL_FOLLOW_UP = "Thanks {agent}, that is really helpful. I will wait to hear from you."

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        key="kettle",
        team=FRONT_LINE,
        audience=EXTERNAL,
        types=(CaseType.REQUEST, CaseType.COMPLAINT),
        subjects=("Kettle not heating", "{product} stopped heating after a week", "Faulty kettle, order {order}"),
        openings=(
            "Hello,\n\nI bought a {product} from you on {date} (order {order}) and it has stopped heating. "
            "The light comes on but the water stays cold. I would like a replacement please.\n\nThanks,\n{first}",
            "Hi, my new {product} will not boil any more. It worked for about a week. I have tried a different "
            "socket and it is the same. What can you do? Order {order}. {first}",
        ),
        replies=(
            "Hi {first},\n\nI'm sorry your kettle has let you down so soon. As it is within 30 days of delivery you "
            "are entitled to reject it for a full refund under the Consumer Rights Act 2015, or we can send a "
            "replacement: whichever you prefer. I will look after this for you until it is sorted.\n\n"
            "Kind regards,\n{agent}",
            "Dear {first},\n\nThank you for letting us know, and I apologise for the inconvenience. I have found "
            "your order {order} and can arrange a courier to collect the {product} and bring a replacement on the "
            "same visit.\n\nBest wishes,\n{agent}",
        ),
        notes=(
            "Checked order {order}: delivered {date}. Within the 30-day short-term right to reject.",
            "Third report this week for the {product}. Flagged to quality as a possible batch fault.",
        ),
        follow_ups=(
            "A replacement would be great, thank you. Could it come before the weekend? I work from home on Friday.",
            "Thanks {agent}. I would rather have my money back to be honest, the reviews are not great.",
        ),
        closings=(
            "Hi {first},\n\nThe replacement {product} is booked for delivery on {date} and the courier will take "
            "the faulty one away. I'm closing this case now, but just reply if anything else goes wrong.\n\n{agent}",
            "Dear {first},\n\nI have refunded {amount} to your original payment method; it should show within "
            "3 to 5 working days. Sorry again for the trouble.\n\nKind regards,\n{agent}",
        ),
        tags=("faulty-goods", "consumer-rights"),
        products=("Breville 1.7 litre kettle", "Russell Hobbs glass kettle", "Morphy Richards kettle"),
    ),
    Scenario(
        key="direct_debit",
        team=BILLING,
        audience=EXTERNAL,
        types=(CaseType.COMPLAINT, CaseType.REQUEST),
        subjects=(
            "Double-charged direct debit",
            "Direct debit taken twice this month",
            "Charged twice on {date} for account {account}",
        ),
        openings=(
            "Hello, I have just checked my bank statement and you have taken my direct debit of {amount} twice "
            "this month. This has left me overdrawn. Please refund the extra payment urgently. Account {account}. "
            "{first}",
            "Dear Sir or Madam,\n\nTwo payments of {amount} left my account on {date}. I only have one agreement "
            "with you. I expect the duplicate to be returned and any bank charges covered.\n\nYours faithfully,\n"
            "{first}",
        ),
        replies=(
            "Dear {first},\n\nI'm very sorry: you are right, the payment was collected twice because of an error "
            "on our side. I have taken ownership of this and asked for the duplicate {amount} to be refunded "
            "today. If your bank has charged you, send me the statement and we will cover it.\n\nKind regards,\n"
            "{agent}",
            "Hi {first},\n\nThank you for telling us, and I apologise for the worry this has caused. I can see "
            "two collections on account {account}. I'm raising the refund now and will confirm once it is on "
            "its way.\n\n{agent}",
        ),
        notes=(
            "Duplicate collection confirmed on the BACS report for {date}. Refund of {amount} sent to finance "
            "for approval.",
            "Customer mentions overdraft charges: goodwill up to £25 is within agent authority, more needs the "
            "team leader.",
        ),
        follow_ups=(
            "Thank you. My bank charged me £12 for going overdrawn, statement attached.",
            "It is now {days} days and I still do not have my money back. This is not good enough.",
        ),
        closings=(
            "Dear {first},\n\nThe duplicate payment of {amount} was refunded today, together with £12 to cover "
            "your bank charge. Your next collection will be the normal amount. Sorry again.\n\n{agent}",
            "Hi {first},\n\nI can confirm the refund of {amount} has been processed and should reach your "
            "account within 3 working days. I've added a note so this cannot happen again.\n\n{agent}",
        ),
        tags=("billing", "refund", "direct-debit"),
    ),
    Scenario(
        key="missed_delivery",
        team=FRONT_LINE,
        audience=EXTERNAL,
        types=(CaseType.COMPLAINT, CaseType.ENQUIRY),
        subjects=("Missed delivery", "Parcel not delivered, order {order}", "Where is my order {order}?"),
        openings=(
            "I waited in all day on {date} for my {product} and nobody came. The tracking says 'attempted "
            "delivery' which is simply not true. When will it actually arrive? Order {order}. {first}",
            "Hi, my order {order} was due on {date} but has not turned up and the tracking has not moved for "
            "{days} days. Can you find out what is happening please?",
        ),
        replies=(
            "Hi {first},\n\nI'm sorry you waited in for nothing; that is really frustrating. I have contacted the "
            "courier and asked them to redeliver your {product} on the next working day. I'll keep an eye on it "
            "for you.\n\n{agent}",
            "Dear {first},\n\nThank you for your patience. I have opened an investigation with our courier for "
            "order {order} and will update you as soon as I hear back.\n\nKind regards,\n{agent}",
        ),
        notes=(
            "Courier scan shows van broke down in {town}; parcel back at depot.",
            "Postcode {postcode} is on the courier's known-issue list for this week.",
        ),
        follow_ups=(
            "Still nothing today. Can you send it with a different courier please?",
            "It has arrived, thank you for chasing it.",
        ),
        closings=(
            "Hi {first},\n\nThe courier confirms your {product} was delivered this morning. As an apology for the "
            "wasted day I've added a £10 credit to your account.\n\n{agent}",
            "Dear {first},\n\nThe parcel was lost in transit, so I've sent a replacement by next-day delivery "
            "(order {order}). You don't need to do anything.\n\n{agent}",
        ),
        tags=("delivery", "courier"),
        products=("washing machine", "sofa", "parcel", "fridge freezer"),
        third_party=("Claim raised with the courier (ref {account}); waiting for their investigation.",),
    ),
    Scenario(
        key="boiler_appointment",
        team=TECHNICAL,
        audience=EXTERNAL,
        types=(CaseType.COMPLAINT, CaseType.REQUEST),
        subjects=("Broken boiler appointment", "Engineer did not turn up", "Boiler repair visit missed"),
        openings=(
            "I took a day off work on {date} because your engineer was booked to repair our boiler between "
            "8 and 12. Nobody came and nobody rang. We have a baby and no heating or hot water. {first}",
            "Our boiler has been broken for {days} days. The repair appointment was cancelled by text the night "
            "before. I need someone out this week. Postcode {postcode}.",
        ),
        replies=(
            "Dear {first},\n\nI'm so sorry. Being left without heating with a baby at home is not acceptable and I "
            "understand how upset you must be. I have booked {engineer}, our senior engineer, for the first slot "
            "tomorrow and will ring you myself to confirm.\n\n{agent}",
            "Hi {first},\n\nI apologise that your appointment was missed. I've marked your household as a "
            "priority and I'm arranging a temporary heater to be delivered today while we fix the boiler.\n\n"
            "{agent}",
        ),
        notes=(
            "Vulnerable household (infant). Priority raised; temporary heater ordered from stores.",
            "{engineer}'s van diary shows the job was dropped when an emergency came in. No call made: "
            "coaching point for scheduling.",
        ),
        follow_ups=(
            "The engineer came and the boiler is working again. But I lost a day's pay for the missed visit.",
            "Nobody has rung me back as promised.",
        ),
        closings=(
            "Dear {first},\n\nI'm glad your heating is back on. To make up for the missed appointment I've "
            "credited {amount} to your account, which covers the lost day. Thank you for bearing with us.\n\n"
            "{agent}",
        ),
        tags=("engineer", "missed-appointment", "heating"),
        products=("combi boiler",),
        third_party=("Part on order from the manufacturer (fan assembly); ETA {date}.",),
    ),
    Scenario(
        key="subject_access",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.DATA_REQUEST,),
        subjects=("GDPR access request", "Subject access request", "Request for a copy of my personal data"),
        openings=(
            "Under Article 15 of the UK GDPR I am asking for a copy of all personal data you hold about me, "
            "including call recordings and notes made by your staff. {first}",
            "Please send me everything you have on file about me. I believe I am entitled to this under data "
            "protection law. My account number is {account}.",
        ),
        replies=(
            "Dear {first},\n\nThank you for your subject access request, which we received on {date}. We will "
            "respond within one calendar month. Before we release any data we need to confirm your identity.\n\n"
            "Yours sincerely,\n{agent}",
        ),
        asks=(
            "Dear {first},\n\nTo protect your data, please send a copy of a recent utility bill or bank statement "
            "showing your name and address. The one-month time limit starts once we have this.\n\n{agent}",
        ),
        notes=(
            "Identity not yet verified: clock stopped until we hear back (ICO guidance).",
            "Search run across CRM, telephony and the billing system. Third-party names to be redacted.",
        ),
        follow_ups=("Attached is a copy of my council tax bill as proof of address.",),
        closings=(
            "Dear {first},\n\nPlease find your personal data attached as a password-protected file; the password "
            "follows by text. It includes your account history, {days} call notes and our retention periods. "
            "You may complain to the ICO if you are unhappy with our response.\n\n{agent}",
        ),
        tags=("gdpr", "subject-access"),
        request_kind="access",
    ),
    Scenario(
        key="erasure",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.DATA_REQUEST,),
        subjects=("Please delete my data", "Right to erasure request", "Close my account and remove my details"),
        openings=(
            "I no longer want to be your customer. Please delete all my personal data and stop sending me "
            "marketing emails. {first}",
        ),
        replies=(
            "Dear {first},\n\nWe have received your erasure request and stopped all marketing straight away. Some "
            "records (for example invoices) must be kept for six years by law; everything else will be deleted "
            "within one month.\n\n{agent}",
        ),
        notes=(
            "Open balance of {amount} on account {account}: erasure of billing records deferred until settled.",
            "Marketing suppression list updated.",
        ),
        follow_ups=("Why do you need to keep anything? I asked for all of it to be deleted.",),
        closings=(
            "Dear {first},\n\nYour personal data has now been erased, apart from the invoices we must keep until "
            "{date}. You will not hear from us again unless you get in touch.\n\n{agent}",
        ),
        tags=("gdpr", "erasure", "marketing-consent"),
        request_kind="erasure",
    ),
    Scenario(
        key="rectification",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.DATA_REQUEST,),
        subjects=("Please correct my details", "Wrong date of birth on my account", "My name is spelt wrongly"),
        openings=(
            "Your letters have my date of birth wrong and my surname misspelt. Please correct the details you "
            "hold about me. Account {account}. {first}",
        ),
        replies=(
            "Dear {first},\n\nThank you for telling us. We will correct your details within one month and "
            "confirm once it is done. If we have shared them with anyone, we will tell them too.\n\n{agent}",
        ),
        asks=(
            "Dear {first},\n\nSo that we change the right record, could you send a copy of a document showing "
            "your correct name and date of birth?\n\n{agent}",
        ),
        notes=("Checked CRM and billing: both show the old spelling. Corrections queued with billing.",),
        follow_ups=("I have attached a copy of my driving licence.",),
        closings=(
            "Dear {first},\n\nYour name and date of birth are now correct on every system, and the credit "
            "reference agency has been told.\n\n{agent}",
        ),
        tags=("gdpr", "rectification"),
        request_kind="rectification",
    ),
    Scenario(
        key="restriction",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.DATA_REQUEST,),
        subjects=("Stop using my data until the address is checked", "Restrict use of my details"),
        openings=(
            "The address you hold for me is wrong and I have asked you to check it. Until you have, please "
            "do not use my details for anything except keeping them. {first}",
        ),
        replies=(
            "Dear {first},\n\nWe have restricted the use of your data while we check the address: we will "
            "keep it, but not use it, and we will tell you before the restriction is lifted.\n\n{agent}",
        ),
        notes=("Address dispute: restriction recorded while the postcode is checked with Royal Mail's file.",),
        follow_ups=("Thank you. The right postcode is {postcode}.",),
        closings=(
            "Dear {first},\n\nWe have corrected your address and lifted the restriction, as we said we "
            "would tell you.\n\n{agent}",
        ),
        tags=("gdpr", "restriction"),
        request_kind="restriction",
    ),
    Scenario(
        key="objection",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.DATA_REQUEST,),
        subjects=(
            "I object to profiling for offers",
            "Stop using my data for marketing",
            "Objection to direct marketing",
        ),
        openings=(
            "I object to you using my purchase history to target offers at me. Please stop using my data for "
            "marketing and profiling. {first}",
        ),
        replies=(
            "Dear {first},\n\nWe have stopped using your data for marketing and profiling, as the law "
            "requires when you object to direct marketing. You will still hear from us about your orders.\n\n"
            "{agent}",
        ),
        notes=("Marketing suppression and profiling opt-out set on the account.",),
        follow_ups=("Thanks. Does that include the catalogue by post?",),
        closings=(
            "Dear {first},\n\nYes: the catalogue by post has stopped too. Your objection is recorded on your "
            "account.\n\n{agent}",
        ),
        tags=("gdpr", "objection", "marketing-consent"),
        request_kind="objection",
    ),
    Scenario(
        key="portability",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.DATA_REQUEST,),
        subjects=("My order history as a file", "Data portability request"),
        openings=(
            "Please send me my order history and account details in a format I can load into a spreadsheet, "
            "so I can take them to another provider. {first}",
        ),
        replies=(
            "Dear {first},\n\nWe will send your account details and order history as a CSV file within one "
            "month. It opens in any spreadsheet.\n\n{agent}",
        ),
        notes=("Export run from the order system; checked for other people's data before release.",),
        follow_ups=("Could you include the delivery addresses too?",),
        closings=(
            "Dear {first},\n\nYour data is attached as a CSV file, protected by a password we have sent by "
            "text.\n\n{agent}",
        ),
        tags=("gdpr", "portability"),
        request_kind="portability",
    ),
    Scenario(
        key="change_address",
        team=FRONT_LINE,
        audience=EXTERNAL,
        types=(CaseType.REQUEST,),
        subjects=("Change of address", "Moving house on {date}", "Update my address"),
        openings=(
            "Hi, we are moving on {date}. Our new address is 14 Mill Lane, {town}, {postcode}. Please update the "
            "account and make sure the final bill goes to the new address. {first}",
        ),
        replies=(
            "Hi {first},\n\nThanks for letting us know, and good luck with the move! I've updated your address "
            "from {date}. Could you give us a meter reading on the day you leave?\n\n{agent}",
        ),
        notes=("Address changed on CRM and billing. Meter read reminder set for {date}.",),
        follow_ups=("Meter reading on moving day was 04512. Thanks for your help.",),
        closings=(
            "Hi {first},\n\nThanks for the reading. Your final bill will be sent to your new address in {town}. "
            "Enjoy the new home.\n\n{agent}",
        ),
        tags=("account-update", "home-move"),
    ),
    Scenario(
        key="refund_return",
        team=BILLING,
        audience=EXTERNAL,
        types=(CaseType.REQUEST, CaseType.ENQUIRY),
        subjects=("Refund for returned item", "Where is my refund?", "Returned {product}, no refund yet"),
        openings=(
            "I sent back the {product} on {date} using your returns label and still have not been refunded the "
            "{amount}. The tracking shows you received it. {first}",
        ),
        replies=(
            "Hi {first},\n\nThank you for your patience. I can see your {product} arrived at our warehouse. "
            "Refunds usually take {days} working days after inspection, but I've asked for yours to be "
            "prioritised.\n\n{agent}",
        ),
        notes=("Return received at warehouse, inspection passed. Refund of {amount} queued.",),
        follow_ups=("Any news? It has been over two weeks now.",),
        closings=(
            "Hi {first},\n\nYour refund of {amount} was issued today to the card you paid with. It can take up "
            "to five working days to appear.\n\n{agent}",
        ),
        tags=("refund", "returns"),
        products=("jacket", "coffee machine", "pair of boots", "desk lamp"),
    ),
    Scenario(
        key="cancel_within_14_days",
        team=FRONT_LINE,
        audience=EXTERNAL,
        types=(CaseType.REQUEST,),
        subjects=("Cancel my order", "Cancellation within 14 days", "Changed my mind about order {order}"),
        openings=(
            "I ordered the {product} online on {date} and would like to cancel. I have not opened it. Please "
            "tell me how to send it back. {first}",
        ),
        replies=(
            "Hi {first},\n\nYou can cancel: you are within the 14-day cancellation period under the Consumer "
            "Contracts Regulations 2013. I've emailed a free returns label; once the item is back we will "
            "refund {amount} within 14 days.\n\n{agent}",
        ),
        notes=("Order placed online {date}: cancellation period runs 14 days from delivery.",),
        follow_ups=("Thanks, I dropped it at the post office this morning.",),
        closings=(
            "Hi {first},\n\nYour return has arrived and we have refunded {amount}, including the original "
            "delivery charge.\n\n{agent}",
        ),
        tags=("cancellation", "consumer-rights"),
        products=("air fryer", "garden bench", "smart speaker"),
    ),
    Scenario(
        key="engineer_conduct",
        team=COMPLAINTS,
        audience=EXTERNAL,
        types=(CaseType.COMPLAINT,),
        subjects=("Complaint about engineer's behaviour", "Rude engineer on {date}", "Formal complaint"),
        openings=(
            "I want to make a formal complaint. The engineer who came on {date} was rude to my elderly mother, "
            "left muddy footprints through the house and refused to explain what he had done. {first}",
        ),
        replies=(
            "Dear {first},\n\nThank you for telling us what happened; I'm sorry your mother was treated this way. "
            "I'm the complaints handler for your case and will investigate with the engineer's manager. You'll "
            "hear from me by {date} at the latest.\n\n{agent}",
        ),
        notes=(
            "HEAT: heard the customer's account in full on the phone, empathised and apologised. Action plan: "
            "interview engineer, review job notes, reply by {date}.",
            "Engineer's manager confirms a previous complaint of the same kind. HR informed.",
        ),
        follow_ups=("My mother is still upset. I would like to know what you are going to do about it.",),
        closings=(
            "Dear {first},\n\nWe have completed our investigation and upheld your complaint. The engineer will "
            "receive further training, and we have sent your mother flowers and a written apology. This is our "
            "final response; if you remain unhappy you may refer the matter to the Ombudsman within six "
            "months.\n\n{agent}",
        ),
        tags=("complaint", "conduct"),
    ),
    Scenario(
        key="broadband_outage",
        team=TECHNICAL,
        audience=EXTERNAL,
        types=(CaseType.ENQUIRY, CaseType.COMPLAINT),
        subjects=("No broadband since {date}", "Internet keeps dropping", "Broadband outage in {town}"),
        openings=(
            "Our broadband has been down since {date}. I work from home and have had to use my phone as a "
            "hotspot. The router light is flashing red. {first}",
            "The internet drops every evening between 7 and 10. I have restarted the router many times. "
            "Account {account}.",
        ),
        replies=(
            "Hi {first},\n\nSorry about the trouble with your connection. There is a known fault on the exchange "
            "serving {postcode}; engineers are on site. I'll let you know as soon as it is fixed.\n\n{agent}",
        ),
        asks=(
            "Hi {first},\n\nCould you run the line test from your router settings page and send me a screenshot? "
            "That will tell us whether the fault is in the home or on the line.\n\n{agent}",
        ),
        notes=("Exchange fault ticket open with the network provider. {days} customers affected in {town}.",),
        follow_ups=("Screenshot attached. It says 'sync lost' a lot.", "Still down this morning."),
        closings=(
            "Hi {first},\n\nThe exchange fault was repaired overnight and your line test is now clear. I've "
            "credited {amount} for the days without service.\n\n{agent}",
        ),
        tags=("outage", "broadband"),
        third_party=("Waiting on the network provider's engineer (ticket {account}).",),
    ),
    Scenario(
        key="invoice_copy",
        team=BILLING,
        audience=COMPANY,
        types=(CaseType.REQUEST, CaseType.ENQUIRY),
        subjects=("Copy invoice needed", "Invoice {order} for our accounts", "VAT invoice request"),
        openings=(
            "Good morning,\n\nOur finance team needs a VAT invoice for order {order} ({amount}) for our year-end "
            "accounts. The one we received does not show our VAT number.\n\nRegards,\n{first}",
        ),
        replies=(
            "Good morning {first},\n\nI've reissued invoice {order} with your VAT number and attached it here. "
            "Let me know if your finance team needs anything else.\n\n{agent}",
        ),
        notes=("VAT number added to the company account so future invoices show it.",),
        follow_ups=("Perfect, thank you.",),
        closings=("Hi {first},\n\nGlad that helps. I've set future invoices to include the VAT number.\n\n{agent}",),
        tags=("invoice", "business-customer"),
    ),
    Scenario(
        key="large_print",
        team=FRONT_LINE,
        audience=EXTERNAL,
        types=(CaseType.REQUEST,),
        subjects=("Large print bills please", "Letters in large print", "Accessible format request"),
        openings=(
            "My sight is getting worse and I can no longer read your bills. Could you send them in large print, "
            "or ring me instead? {first}",
        ),
        replies=(
            "Dear {first},\n\nOf course. From your next bill we will send everything in 16-point large print, at "
            "no cost to you. I've also noted that you prefer a phone call for anything urgent.\n\n{agent}",
        ),
        notes=("Reasonable adjustment recorded: large print, phone preferred. No charge (Equality Act s.20(7)).",),
        follow_ups=("Thank you, that is a great help.",),
        closings=(
            "Dear {first},\n\nYour large-print bill for {date} has been posted. Please call us if the format "
            "needs changing.\n\n{agent}",
        ),
        tags=("accessibility", "reasonable-adjustment"),
    ),
    Scenario(
        key="appliance_warranty",
        team=TECHNICAL,
        audience=EXTERNAL,
        types=(CaseType.ENQUIRY, CaseType.REQUEST),
        subjects=("Is my {product} still under warranty?", "{product} leaking", "Warranty repair"),
        openings=(
            "My {product} bought on {date} has started leaking from the door seal. Is it still covered? {first}",
        ),
        replies=(
            "Hi {first},\n\nYour {product} has a two-year manufacturer's warranty, so the repair is covered. "
            "Faults that appear within six months are presumed to have been there at delivery, but beyond that "
            "your Consumer Rights Act remedies still apply for up to six years.\n\n{agent}",
        ),
        asks=("Hi {first},\n\nCould you send the serial number from the label inside the door?\n\n{agent}",),
        notes=("Serial in range of a known seal fault. Manufacturer repair booked.",),
        follow_ups=("The serial number is {account}.",),
        closings=("Hi {first},\n\nThe manufacturer's engineer will visit on {date} to replace the seal.\n\n{agent}",),
        tags=("warranty", "faulty-goods"),
        products=("washing machine", "dishwasher", "tumble dryer"),
        third_party=("Waiting on the manufacturer to confirm a repair slot.",),
    ),
    Scenario(
        key="portal_password",
        team=TECHNICAL,
        audience=EXTERNAL,
        types=(CaseType.REQUEST,),
        subjects=("Cannot sign in to the portal", "Password reset email not arriving", "Locked out of my account"),
        openings=(
            "I have tried to reset my password three times but the email never arrives. I have checked my "
            "junk folder. {first}",
        ),
        replies=(
            "Hi {first},\n\nSorry for the trouble signing in. Your email provider was rejecting our messages; "
            "I've sent a fresh reset link, which is valid for one hour.\n\n{agent}",
        ),
        notes=("Mail log shows a bounce from the customer's provider. Allow-list request raised.",),
        follow_ups=("That worked, I'm in. Thanks!",),
        closings=("Hi {first},\n\nGreat, glad you're back in. I'll close this now.\n\n{agent}",),
        tags=("portal", "sign-in"),
    ),
    Scenario(
        key="price_increase",
        team=BILLING,
        audience=EXTERNAL,
        types=(CaseType.ENQUIRY, CaseType.COMPLAINT),
        subjects=("Price increase query", "Why has my bill gone up?", "Unexpected increase to {amount}"),
        openings=(
            "My monthly payment has gone up to {amount} without any explanation. I was never told about a price "
            "rise. {first}",
        ),
        replies=(
            "Dear {first},\n\nI understand an unexpected rise is worrying. The new price followed the annual "
            "review we wrote to you about on {date}. I've checked and you can move to a fixed tariff that would "
            "save you about £8 a month.\n\n{agent}",
        ),
        notes=("Letter of {date} was sent to an old address. Customer not properly notified: goodwill offered.",),
        follow_ups=("I never got that letter. I'd like to switch to the fixed tariff please.",),
        closings=(
            "Dear {first},\n\nYou're now on the fixed tariff from {date}, and because the notice went to your "
            "old address I've refunded the difference for the last two months.\n\n{agent}",
        ),
        tags=("billing", "pricing"),
    ),
    Scenario(
        key="damaged_parcel",
        team=FRONT_LINE,
        audience=EXTERNAL,
        types=(CaseType.COMPLAINT, CaseType.REQUEST),
        subjects=("Item arrived damaged", "Broken {product} on delivery", "Damaged parcel, order {order}"),
        openings=(
            "The {product} arrived today with the box crushed and the glass panel cracked. Photos attached. "
            "Order {order}. {first}",
        ),
        replies=(
            "Hi {first},\n\nI'm sorry it arrived like that, and thank you for the photos. I've arranged a "
            "replacement and the courier will collect the damaged one.\n\n{agent}",
        ),
        notes=("Damage claim opened with the courier; photos attached to claim.",),
        follow_ups=("When will the replacement come? I need it for a party on {date}.",),
        closings=(
            "Hi {first},\n\nThe replacement {product} is out for delivery today. Sorry again for the "
            "trouble.\n\n{agent}",
        ),
        tags=("delivery", "damaged"),
        products=("glass coffee table", "mirror", "television"),
    ),
    Scenario(
        key="laptop_new_starter",
        team=TECHNICAL,
        audience=INTERNAL,
        types=(CaseType.INTERNAL_REQUEST,),
        subjects=("Laptop for new starter", "New starter {starter}: laptop and accounts", "IT kit for {date} start"),
        openings=(
            "Hi IT,\n\n{starter} joins the {department} team on {date}. Could you set up a laptop, an email "
            "account and access to the shared drive please?\n\nThanks,\n{first}",
        ),
        replies=(
            "Hi {first},\n\nNo problem. The laptop is being imaged now and the accounts will be ready the day "
            "before {starter} starts. Who should collect it?\n\n{agent}",
        ),
        notes=("Asset tag allocated. Licence count checked: one spare Office seat left.",),
        follow_ups=("{starter}'s manager will collect it from the service desk at 9.",),
        closings=(
            "Hi {first},\n\nAll set: laptop issued, accounts live and {starter} has signed the acceptable-use "
            "policy.\n\n{agent}",
        ),
        tags=("new-starter", "equipment"),
        third_party=("Waiting on the supplier to deliver laptops (expected {date}).",),
    ),
    Scenario(
        key="vpn_access",
        team=TECHNICAL,
        audience=INTERNAL,
        types=(CaseType.INTERNAL_REQUEST,),
        subjects=("VPN not connecting", "Remote access for home working", "Cannot reach shared drive from home"),
        openings=(
            "Since the update yesterday I cannot connect to the VPN from home. It says my certificate has "
            "expired. {first}",
        ),
        replies=(
            "Hi {first},\n\nI've renewed your certificate. Restart the laptop while connected to the "
            "office Wi-Fi or plugged in and it will pick it up.\n\n{agent}",
        ),
        notes=("Certificate expiry affected {days} laptops in {department}. Renewal pushed by policy.",),
        follow_ups=("Working again, thank you.",),
        closings=("Hi {first},\n\nGreat, closing this one. Shout if it drops again.\n\n{agent}",),
        tags=("it-access", "home-working"),
    ),
    Scenario(
        key="supplier_invoice",
        team=BILLING,
        audience=INTERNAL,
        types=(CaseType.INTERNAL_REQUEST,),
        subjects=("Supplier invoice overdue", "Please pay invoice {order}", "Purchase order {order} payment"),
        openings=(
            "The supplier for the {department} refurbishment is chasing invoice {order} for {amount}, which is "
            "now {days} days overdue. Can you see where it is stuck? {first}",
        ),
        replies=(
            "Hi {first},\n\nThe invoice was waiting for a purchase order match. I've matched it and it is "
            "in Friday's payment run.\n\n{agent}",
        ),
        notes=("Budget holder approval was missing; approved by the head of {department} today.",),
        follow_ups=("Thanks, I'll let the supplier know.",),
        closings=("Hi {first},\n\nPaid in today's run: {amount} to the supplier.\n\n{agent}",),
        tags=("accounts-payable", "internal"),
    ),
    Scenario(
        key="expenses_claim",
        team=BILLING,
        audience=INTERNAL,
        types=(CaseType.INTERNAL_REQUEST,),
        subjects=("Expenses claim not paid", "Mileage claim for {date}", "Query on expenses"),
        openings=(
            "I submitted an expenses claim of {amount} for the customer visits on {date} but it was not in my "
            "pay. Could you check? {first}",
        ),
        replies=(
            "Hi {first},\n\nYour claim missed the payroll cut-off by a day. It will be paid with next "
            "month's salary; sorry for the wait.\n\n{agent}",
        ),
        notes=("Receipts checked: mileage at 45p a mile, within policy.",),
        follow_ups=("Is there any way it could be paid sooner? It's a lot of money for me.",),
        closings=(
            "Hi {first},\n\nPayroll has agreed an off-cycle payment; {amount} will reach you on {date}.\n\n{agent}",
        ),
        tags=("expenses", "internal"),
    ),
)

SCENARIOS_BY_KEY = {s.key: s for s in SCENARIOS}
EXTERNAL_SCENARIOS = tuple(s for s in SCENARIOS if s.audience == EXTERNAL)
COMPANY_SCENARIOS = tuple(s for s in SCENARIOS if s.audience in {EXTERNAL, COMPANY})
INTERNAL_SCENARIOS = tuple(s for s in SCENARIOS if s.audience == INTERNAL)
TEAM_NAMES = (FRONT_LINE, BILLING, TECHNICAL, COMPLAINTS)
DATA_REQUEST_SCENARIOS = tuple(s for s in SCENARIOS if s.request_kind)
# A data request's subjects name no slots, so the right a case exercises is read back from its subject.
REQUEST_KIND_BY_SUBJECT = {subject: s.request_kind for s in DATA_REQUEST_SCENARIOS for subject in s.subjects}


def request_kind_of(subject: str) -> str | None:
    """The right a demo data request exercises, from the subject it was given."""
    return REQUEST_KIND_BY_SUBJECT.get(subject)


DEPARTMENTS = ("Finance", "HR", "Facilities", "Marketing", "Sales", "Legal", "Operations", "Payroll")
ALL_TAGS = tuple(sorted({t for s in SCENARIOS for t in s.tags} | set(GENERIC_TAGS)))
