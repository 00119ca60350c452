"""Build heldout3.jsonl: a third held-out set (blind), written and labelled before any check was
run on it, to measure the phrase-based checks on new phrasings (docs/guardrails.md).

Different brands and registers (airline, telecoms, bank, shop, games, food delivery), typos and
text-speak, British and American spelling, and hard negatives for every phrase check. Same record
shape as build_drafts.py; no customer first name is given, so `missing_name` never applies.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout3.jsonl")
R: list[dict] = []
COMPLAINT = {"intent": "complaint"}
ALWAYS = {"apology_policy": "always_apologise"}
TROLL = {"troll": True, "intent": "abuse"}


def add(text, expect=(), **record):
    rec = {"id": f"b{len(R) + 1:03d}", "text": text, "channel": record.pop("channel", "x"),
           "visibility": record.pop("visibility", "public")}
    rec.update(record)
    rec["expect"] = sorted(set(expect))
    R.append(rec)


T, VP, AL, MA, PDR, TE = ("tone", "vague_promise", "apology_liability", "missing_apology",
                          "public_data_request", "troll_engagement")

# --- tone: positives ---------------------------------------------------------------------------
for text in [
    "As I mentioned in my last reply, the refund was processed on the 3rd.",
    "Like I told you earlier, the store closes at 6 on Sundays.",
    "We've been over this already: the warranty doesn't cover water damage.",
    "I have explained this several times now, the booking fee is non-refundable.",
    "Please calm down so we can help you.",
    "No need to get so worked up, it's only a delayed parcel.",
    "If you'd read the confirmation email you would've seen the pickup time.",
    "You should've checked the size guide before ordering.",
    "Honestly, it's pretty straightforward if you follow the instructions in the box.",
    "Per company policy, we don't accept returns after 30 days.",
    "Rules are rules, I'm afraid.",
    "Unfortunately that's just the way it works with prepaid fares.",
    "We're not responsible for what the courier does once it leaves us.",
    "That isn't our fault, the courier lost it.",
    "Maybe try turning it off and on again, it's not that hard.",
    "You clearly didn't read the terms when you signed up.",
    "This is the third time you've asked the same question.",
    "Did you even try restarting it?",
    "WE HAVE ALREADY REFUNDED YOUR ORDER IN FULL.",
    "Whatever you say. The refund has been issued today.",
    "Not sure what you expected from a free plan tbh.",
    "You're not the only customer we have, you know.",
    "There's nothing else we can do about it.",
    "It's really not a big deal, the package will turn up on Tuesday.",
    "That's simply untrue, our records show it was delivered on the 4th.",
    "Kindly refrain from using that tone with us.",
    "We did explain this in our previous tweet.",
    "Please read our FAQ before tweeting us.",
    "It's your responsibility to check the tracking page.",
    "You must have entered the wrong card details at checkout.",
    "Frankly, we're tired of repeating ourselves.",
    "Well, as stated in our T&Cs, orders can't be changed after dispatch.",
    "As we have stated multiple times, the outage is over.",
    "Like we already said, the lounge is closed for refurbishment.",
]:
    add(text, [T])
add("lol that's a new one, never seen a toaster do that before. Replacement ships Monday.", [T], context=COMPLAINT)
add("Haha, sounds like your cat had a busy night! A new cable goes out today.", [T], context=COMPLAINT)
add("Oops, guess the oven had other plans 😅 A voucher is on its way today.", [T], context=COMPLAINT)
add("Well that's a first 🙄 The engineer visits on Friday.", [T], context=COMPLAINT)

# --- tone: hard negatives ----------------------------------------------------------------------
for text in [
    "Our policy is to refund within 14 days of a return, so you should see it by Friday.",
    "You should have a confirmation email in your inbox now.",
    "You're right, that shouldn't have happened to your booking.",
    "Simply tap Settings, then Account, then Reset to start over.",
    "Have you tried restarting the router? That clears this up for most people.",
    "We can't wait to see what you bake with it!",
    "I already told the store team you'd be coming in at 2pm.",
    "As you said, the app crashes on launch. Which phone are you on? DM us so we can dig in.",
    "No worries at all, glad it's sorted!",
    "The delay was caused by a signal failure near Reading; trains are running normally again.",
    "As mentioned on the departure board, boarding for the Madrid flight is now at gate 12.",
    "Our refund policy is on the returns page of the app, under Help.",
]:
    add(text)
add("Relax and enjoy the new sofa! Thanks for the lovely photo.", context={"intent": "praise"})
add("Haha love this! Thanks for sharing your latte art with us.", context={"intent": "praise"})
add("Obviously we're thrilled you liked the new menu 😄", context={"intent": "praise"})

# --- vague_promise: positives ------------------------------------------------------------------
for text in [
    "Thanks for flagging, I'll raise this with the warehouse team.",
    "Leave it with me, I'll chase it up.",
    "We're onto it and will be back in touch.",
    "Someone from our billing team will give you a ring.",
    "I've passed this to our engineers and they'll come back to you with an update.",
    "We'll get this sorted for you.",
    "Our tech folks are digging into it.",
    "I'll make sure the store manager hears about this.",
    "We'll be in contact once we know more.",
    "I'm going to escalate this to our complaints team.",
    "We'll update this thread when the fix is live.",
    "Rest assured a refund will be issued.",
    "You'll receive a replacement shortly.",
    "We're working on a fix as we speak.",
    "We'll look into what went wrong with your delivery asap.",
    "I'll speak to the depot and get back to u",
    "Ill check with the kitchen and let you know",
    "We'll investigate and respond in due course.",
    "A member of our team will reach out to you.",
    "The team is aware and are investigating.",
    "Our developers are currently looking at the crash reports.",
    "We'll make it right, I promise.",
    "Expect to hear from our claims team.",
    "I'll personally follow this up for you.",
    "we will keep u updated",
    "I've logged it and will let you know what the engineers say.",
]:
    add(text, [VP])

# --- vague_promise: negatives ------------------------------------------------------------------
for text in [
    "We'll get back to you by Thursday at the latest.",
    "I'll call you back within the hour.",
    "Our engineers are investigating and we'll post an update at 3pm.",
    "DM us your booking reference and we'll look into it.",
    "If you can send us a screenshot via DM, we'll take a look.",
    "Could you DM us which store you visited? We'll check what happened.",
    "We've already refunded the full amount to your card.",
    "We will never ask for your password over Twitter.",
    "Would you like us to call you back?",
    "Hopefully the new version fixes it for you.",
    "We looked into it and the parcel was left in your safe place.",
    "If you need anything else, we're here for you.",
    "Once you've reset the router, we'll run a line test.",
    "Your refund will arrive in 3-5 working days.",
    "We'll have an update for you tomorrow morning.",
    "We'd be happy to look into this for you. Just send us a DM.",
    "Our store managers look into every complaint personally.",
    "Let us know how you get on!",
    "I'll be on shift until 8pm if you need me.",
]:
    add(text)

# --- apology_liability: positives --------------------------------------------------------------
for text in [
    "We're so sorry, this one is entirely on us.",
    "That was a mistake on our part, and I'm sorry.",
    "We messed this up, no excuses.",
    "Our team got your order wrong and we're sorry.",
    "We should have told you about the delay sooner.",
    "It was our error that the item was sent to the wrong store.",
    "I apologise for the mix-up with your booking.",
    "Apologies for the confusion earlier.",
    "We take full responsibility for the missed delivery.",
    "We accept that we got this wrong.",
    "This was down to a mistake by our staff.",
    "Please accept our sincere apologies.",
    "Our sincere apologies for the wait.",
    "The error was ours, and the refund has gone back to your card today.",
]:
    add(text, [AL])

# --- apology_liability: negatives --------------------------------------------------------------
for text in [
    "I'm sorry to hear your flight was delayed.",
    "Sorry about the wait, the courier says it's out for delivery today.",
    "So sorry you've had such a rubbish day with this.",
    "I'm really sorry the jacket didn't fit, exchanges are free in store.",
]:
    add(text)
add("I apologise for the outage, the fix is rolling out now.", context={"known_issue": True})
add("We apologise for the delay; your order ships on Monday.", brand=ALWAYS, context=COMPLAINT)

# --- missing_apology: positives (brand always apologises, complaint) ----------------------------
for text in [
    "Your parcel is at the depot and will be delivered on Monday.",
    "Please try clearing the app cache and logging in again.",
    "The refund was processed on 2 May; your bank may take a few days to show it.",
    "The 8:15 is running 20 minutes late due to a signal fault.",
    "Thanks for letting us know, the store manager has been told.",
    "The item is back in stock on Friday.",
]:
    add(text, [MA], brand=ALWAYS, context=COMPLAINT)

# --- missing_apology: negatives ----------------------------------------------------------------
for text in [
    "Really sorry about this, the replacement ships Monday.",
    "I'm so sorry for the trouble with your order! It ships on Monday.",
    "That's really frustrating, I get it. The refund went out today.",
    "Oh no, that's not the experience we want for you. Your refund went out today.",
    "Gutted to hear this. The new kettle is on its way today.",
    "Sorry to hear that ur order hasnt arrived. It's out for delivery today.",
]:
    add(text, brand=ALWAYS, context=COMPLAINT)
add("The store opens at 9 on weekdays.", brand=ALWAYS, context={"intent": "question"})

# --- public_data_request: positives ------------------------------------------------------------
for text in [
    "Can you tweet us your postcode so we can check coverage?",
    "Pop your order number below and the team will check it today.",
    "What's the email you signed up with?",
    "Reply here with your full name and address and a replacement goes out today.",
    "Could you post the last four digits of the card?",
    "Please comment with your booking ref.",
    "Whats ur phone number? An agent will call you at 4pm.",
    "Send us your account number in a reply and we'll check it now.",
    "Let us know your mobile number here and the engineer will ring you at 10am.",
    "Drop your tracking number in the comments.",
    "What address was the parcel sent to?",
    "Share your date of birth and postcode and we'll find your account straight away.",
]:
    add(text, [PDR])
add("Write your membership number under this post and we'll upgrade you today.", [PDR], channel="facebook")

# --- public_data_request: negatives ------------------------------------------------------------
for text in [
    "Please DM us your order number so we can check.",
    "Send your email address to us in a private message.",
    "Please don't share your card details on here.",
    "For your security, please delete the tweet with your phone number.",
    "Is the postcode on the booking correct? You can check it in the app.",
    "Have you updated your email address in the app settings?",
    "Use the email address on your account to sign in.",
    "You can find your order number in the confirmation email.",
]:
    add(text)
add("Please reply with your order number and we'll check it now.", channel="email", visibility="private")
add("Could you send your phone number here? An agent will call you at 4pm.", visibility="private")

# --- troll_engagement --------------------------------------------------------------------------
for text in [
    "Actually, our prices are lower than theirs, check for yourself.",
    "That's just not accurate, we've been in business for 40 years.",
    "With respect, you have no idea what you're talking about.",
    "We're not going to argue with you, but you're misinformed.",
    "Funny how you only complain when it rains.",
    "Your claims are false and we have the receipts to prove it.",
    "Go ahead and switch providers then.",
]:
    add(text, [TE], context=TROLL)
# Label corrected after the first run: this reply is also past X's 280 characters (`length`).
add("We hear you, and we know broadband outages are a pain, but this post is not quite fair to our engineers, "
    "who have been working through the night in the storm to restore service to every street in the area, and "
    "they deserve a bit of credit for that, so we'd ask you to keep that in mind before posting again.",
    [TE, "length"], context=TROLL)
add("Thanks for reaching out! Check out our latest deals.", [TE], context={"spam": True})
for text in [
    "We're here if you need us.",
    "Sorry you feel that way. Our DMs are open if you'd like help.",
    "Noted. Take care.",
    "Thanks for the feedback.",
]:
    add(text, context=TROLL)
add("Actually, the store on the high street has it in stock!")

# --- clean replies across brands ---------------------------------------------------------------
for text in [
    "Hi there! The colour you're after is back in stock in sizes 8-14.",
    "Thanks for choosing us for your trip to Lisbon, enjoy the flight!",
    "That's brilliant news, glad the engineer got your broadband sorted.",
    "The pool at our Brighton hotel reopens on 1 June after refurbishment.",
    "Our Black Friday deals start at midnight on Thursday.",
    "Great question! The blender jug is dishwasher safe, the base isn't.",
    "You can change your seat in the app under Manage Booking.",
    "Loving the photos from your hike! Those boots look well travelled.",
    "Our stores are open 9-5 on bank holidays.",
    "We don't ship to PO boxes, but you can collect from any of our lockers.",
    "The new season of the show drops on the 14th, set a reminder in the app!",
    "Congrats on the new job! The card upgrade is done, enjoy the lounge access.",
    "Yes, the vegan menu is available at all our restaurants in the evening.",
    "Our customer service centre is open 24/7 on the app chat.",
    "The patch for the matchmaking bug went live this morning; restart the game to get it.",
    "Happy birthday! Your free dessert is in the Rewards tab.",
]:
    add(text)
add("Thanks for the shout-out! We'll pass your kind words to the team in Leeds.", context={"intent": "praise"})

# --- several at once ---------------------------------------------------------------------------
add("As I said, we'll look into it.", [T, VP])
add("Apologies, we messed up your order. We'll sort it.", [AL, VP])
add("Calm down, we're investigating.", [T, VP])
add("Whats the email on ur account? We'll check it.", [PDR])  # the check waits on the answer
add("We accept it was our mistake, and we'll make it up to you.", [AL, VP])

if __name__ == "__main__":
    with open(OUT, "w", encoding="utf-8") as f:
        for rec in R:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(R)} drafts -> {OUT}")
