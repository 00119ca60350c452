"""Build heldout2.jsonl: a second held-out set, written after the first held-out fixes and
measured once (figures in docs/guardrails.md). Same record shape as build_drafts.py."""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout2.jsonl")
R: list[dict] = []


def add(text, expect=(), private=(), **record):
    rec = {"id": f"k{len(R) + 1:03d}", "text": text, "channel": record.pop("channel", "x"),
           "visibility": record.pop("visibility", "public")}
    rec.update(record)
    rec["expect"] = sorted(set(expect))
    if private:
        rec["private"] = [{"text": t, "source": s, "kind": k} for t, s, k in private]
    R.append(rec)


C1 = {"first_name": "Nadia", "email": "n.haddad@example.org", "phone": "(206) 555-0148",
      "address": "402 Pine Hollow Drive, Seattle, WA 98101", "order_numbers": ["SH-771204"]}
C2 = {"first_name": "Gareth", "email": "gareth.w@example.co.uk", "phone": "+44 7700 900555",
      "address": "Flat 2, 19 Queen's Parade, Cardiff, CF10 1AA", "account_numbers": ["TW00881273"]}
# Known private data, written in new ways.
add("Nadia, we've updated n.haddad@example.org as the contact on the order.", ["private_data"],
    [("n.haddad@example.org", "known", "email")], customer=C1)
add("Hi Nadia - the courier will ring (206) 555 0148 before delivery.", ["private_data"],
    [("(206) 555 0148", "known", "phone")], customer=C1)
add("Hi Nadia, parcel for 402 Pine Hollow Drive left the depot this morning.", ["private_data"],
    [("402 Pine Hollow Drive", "known", "address")], customer=C1)
add("Nadia, SH771204 has been refunded in full today.", ["private_data"], [("SH771204", "known", "order_number")],
    customer=C1)
add("Hi Gareth, account TW00881273 is back to normal.", ["private_data"], [("TW00881273", "known", "account_number")],
    customer=C2)
add("Hi Gareth, the engineer will text 07700900555 when close.", ["private_data"],
    [("07700900555", "known", "phone")], customer=C2, brand={"region": "GB"})
add("Gareth, we posted the new SIM to 19 Queen's Parade yesterday.", ["private_data"],
    [("19 Queen's Parade", "known", "address")], customer=C2)
add("Hi Gareth, we've sent it to gareth.w@example.co.uk.", ["private_data"],
    [("gareth.w@example.co.uk", "known", "email")], customer=C2)
add("Nadia, we've updated n.haddad@example.org as the contact on the order.", customer=C1, visibility="private")
add("Hi Gareth, account TW00881273 is back to normal.", customer=C2, channel="instagram", visibility="private")
# Pattern types, new forms.
add("Reach our colleague on tony.b@example.com for the warranty.", ["private_data"],
    [("tony.b@example.com", "pattern", "email")])
add("The number on file is 312 555 0199, is that still right?", ["private_data"],
    [("312 555 0199", "pattern", "phone")])
add("Card 5105 1051 0510 5100 was refunded on Monday.", ["private_data"], [("5105 1051 0510 5100", "pattern", "card")])
add("We'll deliver to 9 Rue de la Paix on Thursday.", ["private_data"], [("9 Rue de la Paix", "pattern", "address")])
add("Your confirmation number is QX72-118K, enjoy the trip!", ["private_data"], [("QX72-118K", "pattern", "order_number")])
add("Order ID 40918273 is being packed.", ["private_data"], [("40918273", "pattern", "order_number")])
add("Customer number 7719920 has the credit.", ["private_data"], [("7719920", "pattern", "account_number")])
add("The parcel went to 88 Harbour Lane, Whitby YO21 3PU.", ["private_data"],
    [("88 Harbour Lane", "pattern", "address"), ("YO21 3PU", "pattern", "address")])
# Harmless numbers.
for text in ["Android 14.2 fixes the battery drain.", "Store hours are 8:30-18:00 on weekdays.",
             "The bundle is $49.99/month for 24 months.", "Gate B22 for flight AA1034.",
             "Step 2 of 5: tap Settings.", "Our address is on https://example.com/contact/1234567."]:
    add(text)
# Tone.
for text in ["Like we said yesterday, the refund is processing.", "I've already explained this twice.",
             "You'd know that if you had checked your email.", "Please calm yourself, we're handling it.",
             "Rules are rules, there's nothing more we can do.", "What part of 'non-refundable' is unclear?",
             "STOP TAGGING US IN EVERY POST PLEASE"]:
    add(text, ["tone"])
for text in ["I completely understand, and I'm sorry it's taken this long.", "Let me fix that for you right now.",
             "We can't open on Sundays, but the online shop is always open.", "Thanks for bearing with us today!"]:
    add(text)
add("Lol, the printer really hates you!", ["tone"], context={"intent": "complaint"})
# Apology policy.
add("We're sorry, this is entirely our fault.", ["apology_liability"])
add("Apologies, we got your order wrong.", ["apology_liability"])
add("We made an error processing your payment.", ["apology_liability"])
add("We're so sorry to hear about this.")
add("Your payment has been reversed.", ["missing_apology"], brand={"apology_policy": "always_apologise"},
    context={"intent": "complaint"})
add("Apologies for the trouble, your payment has been reversed.", brand={"apology_policy": "always_apologise"},
    context={"intent": "complaint"})
# Personal touch.
add("Thanks for letting us know, all fixed now.", ["missing_name"], customer={"first_name": "Olu"})
add("Thanks for letting us know Olu, all fixed now.", customer={"first_name": "Olu"})
add("All fixed now.", ["missing_signature"], brand={"signature_required": True}, agent={"first_name": "Mo"})
add("All fixed now. - Mo", brand={"signature_required": True}, agent={"first_name": "Mo"})
# Blanket.
canned = "We're experiencing higher than usual volumes and will get to your message as quickly as we can."
add(canned, ["blanket_statement"], context={"recent_replies": [{"text": canned, "customer": f"z{i}"} for i in range(4)]})
add("Thanks Rui, the new card is on its way to you.", customer={"first_name": "Rui"},
    context={"recent_replies": [{"text": canned, "customer": f"z{i}"} for i in range(4)]})
# Vague promises.
for text in ["We'll get this sorted for you.", "Our specialists will review your case.",
             "I'll chase the warehouse and come back to you.", "A colleague will reach out."]:
    add(text, ["vague_promise"])
for text in ["I'll chase the warehouse and come back to you before 3pm.", "We'll reply within two working days.",
             "Send us a DM and we'll get this sorted.", "Our specialists will review your case this week."]:
    add(text)
# Trolls, pile-ons.
add("For your information, we never said that.", ["troll_engagement", "tone"], context={"troll": True})
add("Thanks for sharing your view.", context={"troll": True})
add("Update: the app is back online for everyone.", ["pile_on"], context={"pile_on": True})
# Public data requests.
for text in ["Please comment with the email on your account.", "Can you share your home address so we can check?",
             "Tell us your booking reference and we'll check.", "What's the phone number on the account?"]:
    add(text, ["public_data_request"])
for text in ["Please DM us the phone number on the account.", "Could you tell us more about what happened?",
             "Never share your card number online.", "Send your booking reference via direct message, please."]:
    add(text)
# Length.
add("Hi Ana! " + "Thanks so much for your patience while we looked into the missing items. " * 4, ["length"],
    customer={"first_name": "Ana"})
add("こんにちは。" * 50, ["length"])

OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in R), encoding="utf-8")
print(f"{len(R)} drafts written to {OUT}")
