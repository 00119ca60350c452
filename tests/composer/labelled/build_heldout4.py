"""Build heldout4.jsonl: a fourth held-out set, written and labelled after the phrase checks were
generalised on heldout3, and measured once with no fix after (docs/guardrails.md). Same record
shape as build_heldout3.py; no customer first name is given, so `missing_name` never applies.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout4.jsonl")
R: list[dict] = []
COMPLAINT = {"intent": "complaint"}
ALWAYS = {"apology_policy": "always_apologise"}
TROLL = {"troll": True, "intent": "abuse"}
T, VP, AL, MA, PDR, TE = ("tone", "vague_promise", "apology_liability", "missing_apology",
                          "public_data_request", "troll_engagement")


def add(text, expect=(), **record):
    rec = {"id": f"q{len(R) + 1:03d}", "text": text, "channel": record.pop("channel", "x"),
           "visibility": record.pop("visibility", "public")}
    rec.update(record)
    rec["expect"] = sorted(set(expect))
    R.append(rec)


for text in [
    "As was explained to you on the phone, the deposit is non-refundable.",
    "I've told you twice now that the sale price ended on Sunday.",
    "Once again, the voucher can't be combined with other offers.",
    "You obviously haven't read the email we sent.",
    "Please stop shouting at our staff.",
    "It says clearly on the box that it's hand wash only.",
    "That's not how it works, sorry.",
    "We've checked and you're simply mistaken about the price.",
    "If you'd bothered to check the app, you'd have seen the delay.",
    "You were told at the counter that the ticket was non-transferable.",
    "Tbh we're not sure why you're so upset about a 10 minute delay.",
    "It is what it is, the flight's cancelled.",
    "We've said all we can on this matter.",
    "This conversation is going nowhere.",
    "You should really have kept the receipt.",
    "Try reading the instructions next time.",
]:
    add(text, [T])
add("Ha, the dog ate the parcel? Classic 😂 A new one ships today.", [T], context=COMPLAINT)
add("Someone's having a Monday! The refund went through this morning.", [T], context=COMPLAINT)
for text in [
    "Just so you know, the kiosk accepts contactless too.",
    "Please read the attached guide; step 3 covers pairing.",
    "To be honest, we love this idea! We'll share it with the menu team.",
    "Relax by the pool with our new cocktail menu this summer.",
    "You're not wrong, the queue was far too long today.",
    "It's simple to swap sizes: bring it to any store with the receipt.",
    "That's right, the offer runs until the end of the month.",
    "Your patience is appreciated while the line is repaired today.",
]:
    add(text)

for text in [
    "We'll dig into what happened and come back to you.",
    "I'm chasing this with the courier for you now.",
    "Our maintenance crew are on the case.",
    "Someone from the accounts team will be in touch regarding the refund.",
    "I'll flag it to the store manager and update you.",
    "The engineers are working hard on a fix.",
    "I'll get the warehouse to check and report back.",
    "We're looking at options for a replacement and will let you know.",
    "A colleague from our loyalty team will drop you an email.",
    "I'll have a word with the night shift about this.",
    "we r looking into it, will update u",
    "I'll investigate this further and follow up with you.",
]:
    add(text, [VP])
for text in [
    "We'll come back to you by midday tomorrow.",
    "I'll ring you between 2 and 4pm today.",
    "Expect an email from us within 48 hours.",
    "Send us a DM with your booking reference and we'll look at it.",
    "If you drop us a DM, we'll check what's happened.",
    "We're here 24/7 if you need anything.",
    "We don't give out refunds for change of mind after 30 days, but an exchange is fine.",
    "We investigated the complaint and the store has retrained the team.",
    "We'll keep an eye out for your DM.",
    "What time suits you for a call? We'll ring then.",
]:
    add(text)

for text in [
    "We got the delivery date wrong, and I'm sorry.",
    "That's completely on us, and we're sorry.",
    "We failed to send the confirmation, which is on us.",
    "The mix-up was our fault entirely.",
    "A mistake on our side meant you were charged twice.",
    "We should've let you know the store was closing early.",
    "My sincere apologies for the confusion.",
    "We were in the wrong here.",
]:
    add(text, [AL])
for text in [
    "So sorry to hear about the delay to your train.",
    "We're sorry you had to wait so long on the phone.",
    "I'm really sorry, that sounds stressful.",
    "It wasn't a mistake: the price includes the delivery charge.",
]:
    add(text)

for text in [
    "The replacement part is due in on Thursday.",
    "You can rebook free of charge in the app.",
    "The branch reopens at 10 after the fire alarm.",
    "Thanks for the feedback, the team has been told.",
]:
    add(text, [MA], brand=ALWAYS, context=COMPLAINT)
for text in [
    "Oh dear, that's not good enough. The replacement part is due in on Thursday.",
    "That's so annoying, sorry! You can rebook free of charge in the app.",
    "We hate to hear that. The branch reopens at 10.",
    "Sorry for the hassle, the team has been told.",
]:
    add(text, brand=ALWAYS, context=COMPLAINT)

for text in [
    "Can you reply with the postcode you're at?",
    "Which phone number did you register with?",
    "Post your membership number and we'll look it up today.",
    "Tell us the email address on your account and we'll check today.",
    "Whats ur order no.?",
    "Could you put your card's last 4 digits here so we can find the payment?",
]:
    add(text, [PDR])
for text in [
    "Please send your postcode to us by DM.",
    "Did you get the email we sent on Monday?",
    "Is your phone number still the same one we have? DM us if not.",
    "Never share your PIN with anyone, including us.",
    "Can you check your order number in the app and DM it to us?",
]:
    add(text)

for text in [
    "You're wrong about that, and we've shown you the figures.",
    "Nobody forced you to buy it.",
    "We don't appreciate the lies you're spreading.",
    "Do you even own one of our phones?",
]:
    add(text, [TE], context=TROLL)
for text in [
    "We're sorry you feel that way. We're here if you need us.",
    "Thanks for sharing your view.",
]:
    add(text, context=TROLL)

for text in [
    "Congratulations on the new house! Enjoy the keys.",
    "The autumn menu lands in all our cafés on 1 October.",
    "Yes, dogs are welcome on the terrace.",
    "Thanks for flying with us, see you next time!",
    "Our app now supports dark mode, update to give it a go.",
    "Gate changes are shown on the app in real time.",
]:
    add(text)

if __name__ == "__main__":
    with open(OUT, "w", encoding="utf-8") as f:
        for rec in R:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(R)} drafts -> {OUT}")
