"""Build heldout5.jsonl: a blind set for the `tone` check, written before the learned tone model
was built and never used to tune it (docs/guardrails.md, "Fifth held-out set").

About a third of the drafts have a tone problem phrased in ways that neither the phrase rules nor
any earlier set uses (defensive, blaming, condescending, dismissive, jokes or sarcasm in a reply
to a complaint, negative framing); the rest are good replies, many of them hard negatives: firm
but polite refusals, policy explained kindly, "unfortunately", apologies, "next time", jokes in
replies to praise. Labelled for `tone` only (`"labelled": ["tone"]`): other checks' findings on
this set are not measured.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("heldout5.jsonl")
R: list[dict] = []
COMPLAINT = {"intent": "complaint"}
PRAISE = {"intent": "praise"}


def add(text, tone, kind="", context=None, channel="x"):
    rec = {"id": f"t{len(R) + 1:03d}", "text": text, "channel": channel, "visibility": "public"}
    if context:
        rec["context"] = context
    rec["labelled"] = ["tone"]
    rec["expect"] = ["tone"] if tone else []
    if kind:
        rec["kind"] = kind
    R.append(rec)


POSITIVE = {
    "defensive": [
        "We followed the process to the letter, so the delay didn't come from our side.",
        "Our records are accurate, so the mistake must be somewhere else.",
        "The agent you spoke to did nothing improper, whatever you may think.",
        "Our system doesn't make errors like that, so the charge stands as correct.",
        "We can't be blamed for delays once the parcel is with the post office.",
        "I don't accept that our staff were rude to you.",
        "Sorry for the wait. To be clear, the team did exactly what they're trained to do.",
        "Not sure how many more ways we can say this: the store is closed on bank holidays.",
        "We stand by the engineer's report, and frankly your version doesn't match it.",
        "Nobody at this branch would ever speak to a customer that way.",
    ],
    "blaming": [
        "Next time it might help to read the product page before you buy.",
        "The wrong size arrived because that's the size you picked at checkout.",
        "Had you entered the correct postcode, the parcel would have reached you.",
        "The card was declined because you let it expire.",
        "Leaving the phone in a hot car will do that, I'm afraid.",
        "The battery drained because the charger you used isn't one of ours.",
        "Missing the gate closing time is down to the passenger, not the airline.",
        "Your booking lapsed since nobody confirmed it within the 24 hours we gave.",
        "It would have helped if you'd contacted us before the deadline rather than after.",
        "Hi Priya, the charge is correct because you upgraded the plan yourself last month.",
        "Is there a reason you didn't check the delivery date before booking?",
    ],
    "condescending": [
        "Let me walk you through it slowly: the button is the green one.",
        "This is explained in plain English on the first page of the guide.",
        "Most customers manage to set it up in five minutes without any help.",
        "I'm sure even you can find the settings menu.",
        "Bless, it happens to lots of people who don't look at the screen.",
        "Just to spell it out for you, the sale ended last week.",
        "Sweetheart, the store opens at nine.",
        "Perhaps ask someone more tech-savvy in your household to help.",
        "Happy to help! For future reference, the tracking link in your email answers this kind of question.",
        "If reading the label is too much trouble, our video guide is at parley.example/guide",
    ],
    "dismissive": [
        "We've noted your comments and have nothing to add.",
        "The decision is final and we won't be discussing it further.",
        "Plenty of other shops sell chargers if ours don't suit you.",
        "That's how the app is designed, so there's no point raising it again.",
        "Your feedback has been logged. End of discussion.",
        "Delays happen, it's not worth getting upset over.",
        "These things happen with online orders, so it's out of our hands.",
        "We'll close this thread now as there's nothing left to say.",
        "We get it, you're unhappy. The refund is already on its way.",
        "Seriously? A two minute wait isn't a long time.",
    ],
    "joke": [
        "Well, at least the suitcase got a holiday even if you didn't! We're tracing it now.",
        "Sounds like our oven is auditioning for a horror film. An engineer is booked for Thursday.",
        "Wow, what a week you're having! A replacement leaves the warehouse today.",
        "Guess the courier wanted to keep your trainers for himself. Refund issued today.",
        "Congratulations, you've found our most creative bug! The fix ships Friday.",
        "Cold pizza is a breakfast classic, right? A credit is on your account.",
        "Look on the bright side: more time to enjoy the airport lounge! Your new flight leaves at 6.",
        "Ah yes, the famous disappearing parcel trick. It's being reshipped today.",
    ],
    "negative": [
        "No refunds will be given, and no exceptions will be made.",
        "Sadly there is zero chance of getting the seat upgrade now.",
        "Your claim has been rejected and will not be reviewed again.",
        "The warranty is void, so don't expect a repair from us.",
        "Nobody here is able to change a fare once it's been paid.",
        "Refused. Items bought in the sale are never exchanged.",
        "Thanks for the photos. Those scratches are normal wear and no reason for a claim.",
    ],
}
for kind, texts in POSITIVE.items():
    for text in texts:
        add(text, True, kind, COMPLAINT if kind == "joke" else None)

NEGATIVE = [
    # firm but polite refusals
    "I'm sorry, Sam, we aren't able to refund opened software. What I can do is help you get it working today.",
    "Unfortunately this fare can't be changed, but I can put the difference towards a future trip.",
    "We can't reopen the sale price, I'm afraid, but the same jacket is 20% off with code WINTER until Sunday.",
    "I understand why you'd want a cash refund. Store credit is the option for gift purchases, and it never expires.",
    "That's a fair question. The deposit covers the engineer's time, so it isn't refundable once they've visited.",
    "Sadly the concert is sold out. The waiting list opens at 10am on Friday and I've added your email to the reminder.",
    "We're not able to deliver to PO boxes, but any of our pickup lockers near you will hold it for 7 days.",
    "I know it's not the answer you hoped for: the plan can't be paused, though you can downgrade to the free tier any time.",
    "Our returns window is 30 days from delivery, so this order falls just outside it. I've asked the team for an exception and will reply by 5pm today.",
    "Thanks for your patience. The voucher only works on full-price items, so it won't apply to the sale basket.",
    "Unfortunately we can't price-match online marketplaces, only other high street stores.",
    "The upgrade isn't available on this ticket type, but I can book you into the lounge for free.",
    "This one isn't covered by the warranty because of the water damage, but our repair partner offers a 25% discount.",
    "We don't hold stock of that part any more. Here's a compatible one that fits your model: parley.example/p/281",
    "Refunds go back to the original card only; if that card is closed, your bank will pass the money to your new one.",
    "I'm afraid the booking fee is non-refundable, but I've waived it on your next booking.",
    "Unfortunately the offer ended on Sunday. Our next sale starts on the 1st and members get early access.",
    "We're unable to change the name on a ticket, but you can transfer it to a friend in the app under My Tickets.",
    # policy explained kindly
    "Our policy is to refund within 5 working days of receiving the item, and yours arrived yesterday.",
    "Good question! Orders can be changed for one hour after they're placed; after that they go straight to the warehouse.",
    "For safety reasons, we can only ship batteries by ground, which takes 3-5 days.",
    "Just so you're aware, the price shown includes tax, so the total at checkout won't change.",
    "The terms let you cancel within 14 days for a full refund, so you're well within time.",
    "Here's how the fee works: it's charged once per booking, not per passenger.",
    "It's a common question: the tracking updates once the courier scans the parcel, usually by evening.",
    "The app needs iOS 16 or newer; older phones can still use the website.",
    "Data roaming is included in 40 countries; the full list is at parley.example/roaming.",
    # apologies and sympathy
    "I'm so sorry your delivery was late, Ana. Your refund for the shipping fee has been processed.",
    "That sounds really frustrating, and I'm sorry. Let's get this sorted for you now.",
    "Oh no, a cracked screen on day one is awful. A replacement ships today by express.",
    "Sorry to hear the room wasn't clean. I've refunded one night and shared your photos with the hotel manager.",
    "I'm sorry for the mix-up with your order. The right size goes out this afternoon.",
    "We're sorry the app logged you out. Updating to version 5.2 fixes it.",
    "So sorry you waited on hold that long. I can call you back at 2pm today if that works.",
    "Really sorry about the cold food, Leo. A full refund is on its way to your card.",
    "Sorry about the noise last night. We've moved you to a quiet room on the 4th floor from tonight.",
    "I'm sorry your flight was cancelled. You're rebooked on the 7:15 tomorrow and the hotel is covered.",
    "That's not the experience we want for anyone, and I'm sorry. I've credited your account with 10 pounds.",
    # helpful replies with "you" instructions and hard negatives
    "You can change the delivery address in the app under Orders > Edit.",
    "Next time you order, the code WELCOME10 gives you 10% off.",
    "If the code doesn't work, try typing it without spaces; some browsers add one at the end.",
    "You're right, the label was wrong. Thanks for spotting it; we've fixed it on the website.",
    "You'll find the receipt in your email from the day of purchase, or in the app under Purchases.",
    "Make sure the charger is plugged into the wall rather than a laptop; it charges twice as fast.",
    "To reset the router, hold the button on the back for 10 seconds until the light flashes.",
    "Your parcel is at the depot and goes out for delivery tomorrow morning.",
    "The refund was sent on Monday and usually shows within 3 working days.",
    "Happy to help with that! Tap Settings, then Notifications, and switch off Promotions.",
    "Could you tell us which store you visited? We'd like to pass your comments to the manager.",
    "Thanks for letting us know about the broken lift. Engineers are on site and it should be working by 3pm.",
    "We've checked and the payment did go through. You'll see it as PARLEY SHOP on your statement.",
    "You haven't been charged twice; the second line is a pending hold that drops off within 48 hours.",
    "Please keep the item until the courier collects it on Thursday between 9 and 12.",
    "Your account is all set up. You can log in with the email you registered with.",
    "If it happens again, a screenshot of the error helps our team find the cause quickly.",
    "The instructions are also online at parley.example/manual if the paper copy went missing.",
    "I've checked with the kitchen: the sauce contains nuts, so we'd advise against it.",
    "Great news, the engineer can come on Wednesday between 8 and 10.",
    "Your seat is 14A, by the window, as requested.",
    "It looks like the order was placed for the 12th; I've moved it to the 10th for you.",
    "Good spot! The timetable on the station screen was out of date. The 8:40 runs as normal.",
    "It does look like the app charged the wrong amount. I've refunded the difference of 4.20.",
    "Yes, the store is open on Sunday from 10 to 4.",
    "We've had a few reports of this today and our team fixed it at 11:20. Please try again.",
    "No problem at all, the booking is now under your new name.",
    "Those trainers run small, so many customers go half a size up. Exchanges are free.",
    "To be sure we get this right, could you DM us the name on the booking?",
    "Please don't post your card details here; we'll take payment over the phone instead.",
    "There's no need to pay again: the first payment is confirmed and your order is safe.",
    "That's a great question, and not one we get often. The blender jug is dishwasher safe on the top rack.",
    "We hear you. Waiting two weeks for a refund is too long, and it's now been paid.",
    "It's honestly no trouble at all; glad we could help!",
    "We did get your email, and I've replied with the return label just now.",
    "Firmware 3.1 went out this morning and fixes the pairing problem.",
    "Our engineers found a fault on the line and it was repaired at 9 this morning.",
    "Don't worry, your points won't expire while your account is active.",
    "There's nothing to pay for the repair, as it's within the warranty.",
    "No need to print the ticket; the QR code on your phone works at the gate.",
    "Nothing is lost: your playlists are saved to your account and come back when you log in.",
    "We'll never ask for your password by email, so please ignore that message.",
    "We can't wait to see you at the opening on Saturday!",
    "I can't find a second charge on the account, but if your bank shows one, send us the date and we'll check it by tomorrow.",
    "Unfortunately the storm closed the airport. Everyone on the flight is rebooked for 9am and hotel vouchers are at desk 3.",
    "Sorry, that sounds stressful. You're not expected to pay the late fee; I've removed it.",
    "Thanks for being patient with us while we sorted this out, Mei.",
    "We know a delay like this is disruptive, and we're sorry. The new arrival time is 18:40.",
    "You were absolutely right to flag this; the label has been corrected in every store.",
    "Fair point on the packaging. We're moving to paper fillers from next month.",
    "Honestly, we love hearing this. Thanks for shopping with us!",
    "Just a heads up, the app will be down for maintenance from 1 to 2am tonight.",
    "Please check your spam folder for the confirmation; it comes from noreply@parley.example.",
    "We're as keen as you are to get this fixed. The part arrives Tuesday and the engineer fits it Wednesday.",
    "If you'd prefer to talk it through, we're on 0800 123 456 until 8pm.",
    "That's a fair ask. I've added a note so the driver knocks rather than rings.",
    "The blue light means it's updating; leave it plugged in for 10 minutes.",
    "Not a problem, Jon. The cancellation is done and you won't be charged.",
    "We understand, and you're within your rights to cancel. I've done it for you with no fee.",
    "Thanks for the honest review. We've shared it with the chef, who's adding a vegan option in March.",
    "It's frustrating when a code doesn't work. This one needs a minimum spend of 30, which your basket was just under.",
]
for text in NEGATIVE:
    add(text, False)
# Replies to complaints with no joke, and light humour in replies to praise (jokes count only in complaints).
for text in [
    "So sorry the tent leaked on your first night. A full refund has gone back to your card.",
    "Sorry the charger stopped working. A new one left our warehouse this morning.",
    "I'm sorry the bus didn't stop for you. The driver has been spoken to and your complaint is logged.",
    "That's a long wait for a pizza, and I'm sorry. We've refunded the order in full.",
]:
    add(text, False, context=COMPLAINT)
for text in [
    "Haha, love that your dog has claimed the new bed! Thanks for sharing the photo.",
    "Ha, best review we've had all week. Enjoy the new bike!",
    "Wow, that cake looks amazing! Happy birthday to your daughter.",
    "That's made our day! Thanks for the kind words about Ben.",
]:
    add(text, False, context=PRAISE)

if __name__ == "__main__":
    with open(OUT, "w", encoding="utf-8") as f:
        for rec in R:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    pos = sum(1 for r in R if r["expect"])
    print(f"wrote {len(R)} drafts to {OUT.name}: {pos} with a tone problem, {len(R) - pos} without")
