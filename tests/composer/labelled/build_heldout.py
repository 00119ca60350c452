"""Build heldout.jsonl: drafts written after the rules were settled, measured once and not tuned on.

Same record shape and labels as build_drafts.py. docs/guardrails.md reports both sets.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout.jsonl")
R: list[dict] = []


def add(text, expect=(), private=(), group="", **record):
    rec = {"id": f"h{len(R) + 1:03d}", "group": group, "text": text,
           "channel": record.pop("channel", "x"), "visibility": record.pop("visibility", "public")}
    rec.update(record)
    rec["expect"] = sorted(set(expect))
    if private:
        rec["private"] = [{"text": t, "source": s, "kind": k} for t, s, k in private]
    R.append(rec)


P1 = {"first_name": "Elif", "email": "elif.demir@example.com", "phone": "+1 303 555 0111",
      "address": "77 Juniper Court, Denver, CO 80203", "order_numbers": ["CT-99120"], "account_numbers": ["77120931"]}
P2 = {"first_name": "Marek", "email": "marek@example.pl", "phone": "0161 496 0822",
      "address": "5 Canal Street, Manchester, M1 3HE", "order_numbers": ["WL330019"]}
add("Hi Elif, the replacement is going to 77 Juniper Court this afternoon.", ["private_data"],
    [("77 Juniper Court", "known", "address")], customer=P1)
add("Elif, we've credited account 77120931 with $15.", ["private_data"], [("77120931", "known", "account_number")], customer=P1)
add("Thanks Elif! A copy of the receipt went to Elif.Demir@Example.com.", ["private_data"],
    [("Elif.Demir@Example.com", "known", "email")], customer=P1)
add("Hi Elif, our driver will text 303.555.0111 when he's 10 minutes away.", ["private_data"],
    [("303.555.0111", "known", "phone")], customer=P1)
add("Hi Elif, ct-99120 was cancelled and refunded today.", ["private_data"], [("ct-99120", "known", "order_number")], customer=P1)
add("Hi Marek, we rang 0161 496 0822 this morning.", ["private_data"], [("0161 496 0822", "known", "phone")],
    customer=P2, brand={"region": "GB"})
add("Marek, order WL 330019 left the warehouse today.", ["private_data"], [("WL 330019", "known", "order_number")], customer=P2)
add("Hi Marek, the courier has M1 3HE as the postcode.", ["private_data"], [("M1 3HE", "known", "address")], customer=P2)
add("Hi Marek, sent to marek@example.pl just now!", ["private_data"], [("marek@example.pl", "known", "email")], customer=P2)
add("Hi Marek, your parcel for 5 Canal St is delayed by a day.", ["private_data"], [("5 Canal St", "pattern", "address")], customer=P2)
add("Hi Elif, the replacement is going to 77 Juniper Court this afternoon.", customer=P1, visibility="private")
add("Marek, order WL 330019 left the warehouse today.", customer=P2, channel="facebook", visibility="private")

PATTERNS = [
    ("Forward the receipt to billing.help@example.net and we'll refund it by Friday.", "billing.help@example.net", "email"),
    ("The rider's note says 'ring 917-555-0163 on arrival'.", "917-555-0163", "phone"),
    ("Charged to 3782 822463 10005 on Tuesday.", "3782 822463 10005", "card"),
    ("Your reservation code ZT88QK1 is confirmed for Saturday.", "ZT88QK1", "order_number"),
    ("Order #A55-209-7731 will arrive Monday.", "A55-209-7731", "order_number"),
    ("Delivery to 310 Oak Avenue is rescheduled for Monday.", "310 Oak Avenue", "address"),
    ("We called you on +33 6 12 34 56 78 earlier today.", "+33 6 12 34 56 78", "phone"),
    ("Member number 99812034 has the discount applied.", "99812034", "account_number"),
    ("The refund went to card 6011 1111 1111 1117.", "6011 1111 1111 1117", "card"),
    ("Please note the shipment number AWB 7781 2290 3321 is delayed.", "7781 2290 3321", "order_number"),
]
for text, frag, kind in PATTERNS:
    add(text, ["private_data"], [(frag, "pattern", kind)])

for text in [
    "Flight BA2490 boards at gate 22 at 14:05.",
    "Press 1, then 4, then 3 to reach the team.",
    "iPadOS 17.4 is out now with the fix.",
    "Our helpline 0800 555 0199 is free from mobiles.",
    "Model number A2890 supports fast charging.",
    "We've sent 2 x £5 vouchers to the account email.",
]:
    add(text, group="private_negative", brand={"public_contacts": ["0800 555 0199"]})

for text in ["As we've told you before, the store is closed on Sundays.", "Honestly, you should've read the FAQ.",
             "Relax, it's only a day late.", "If you don't like it, feel free to go elsewhere.",
             "THIS IS THE THIRD TIME WE HAVE EXPLAINED THIS", "You forgot to click confirm, that's why."]:
    add(text, ["tone"], group="tone")
for text in ["I'm really sorry, I know how annoying this is.", "We can't change the date, but we can refund the fee today.",
             "Just tap the blue button at the top.", "Happy Friday! Enjoy the new playlist."]:
    add(text, group="tone_negative")

for text in ["I apologise for the error on your bill.", "It was our mistake, the size label was wrong.",
             "We take responsibility for the late delivery."]:
    add(text, ["apology_liability"], group="apology_liability")
add("I apologise for the error on your bill.", context={"known_issue": True})
add("So sorry about your bill, that must be worrying.")
add("The bill has been corrected.", ["missing_apology"], brand={"apology_policy": "always_apologise"},
    context={"intent": "complaint"})
add("Really sorry, the bill has been corrected.", brand={"apology_policy": "always_apologise"}, context={"intent": "complaint"})

add("Thanks for the photo, a new one is on its way today.", ["missing_name"], customer={"first_name": "Ines"})
add("Thanks for the photo, Inés; a new one is on its way today.", customer={"first_name": "Inés"})
add("All fixed now!", ["missing_signature"], brand={"signature_required": True}, agent={"first_name": "Kai", "signature": "^KL"})
add("All fixed now! ^KL", brand={"signature_required": True}, agent={"first_name": "Kai", "signature": "^KL"})

canned = "We value your feedback and have passed it to the relevant department for review."
add(canned, ["blanket_statement", "vague_promise"] if False else ["blanket_statement"],
    context={"recent_replies": [{"text": canned, "customer": f"k{i}"} for i in range(6)]})
add("We value your feedback about the new menu, Rosa; the chef reads every comment.",
    customer={"first_name": "Rosa"}, context={"recent_replies": [{"text": canned, "customer": f"k{i}"} for i in range(6)]})

for text in ["Our engineers will look at this.", "I'll let you know once I hear back.", "We're on it and will update you shortly."]:
    add(text, ["vague_promise"], group="vague_promise")
for text in ["I'll let you know by 4pm.", "We'll update you tomorrow by noon.", "Could you DM us the error? We'll take it from there."]:
    add(text, group="vague_promise_negative")

add("Actually, we were voted the best network two years running.", ["troll_engagement"], context={"troll": True})
add("We're here if you need us.", context={"troll": True})
add("Sorry for the disruption, everyone; next update at 2 pm.", ["pile_on"], context={"pile_on": True})

for text in ["Please reply here with your delivery address.", "Could you post the account number so we can check?",
             "What is the email address on your account?", "Tweet us your order number and we'll take a look."]:
    add(text, ["public_data_request"], group="public_data_request")
for text in ["Please DM us the email address on your account.", "What does the error message say?",
             "Please don't post your card number publicly.", "Could you send us a DM with your delivery address?"]:
    add(text, group="public_data_request_negative")

OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in R), encoding="utf-8")
print(f"{len(R)} drafts written to {OUT}")
