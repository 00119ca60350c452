"""Training sentences for the learned tone model (`parley train_tone`): our own words.

Sentence-level examples, labelled with the kind of tone problem or "ok". Hand-written sentences
plus combinations of sentence parts (frames x slots), so the model sees many paraphrases of each
kind and, beside them, the same topics said kindly (hard negatives: firm refusals, policy
explained politely, "unfortunately", apologies, instructions that mention what the customer did).
Never drawn from the labelled draft sets (tests/composer/labelled/*.jsonl).
"""

from __future__ import annotations

import itertools
import random

KINDS = ("defensive", "blaming", "condescending", "dismissive", "joke", "negative")
OK = "ok"

HAND = {
    "defensive": [
        "Our team did nothing wrong here.",
        "We handled your order exactly as we should have.",
        "The store followed the correct procedure, so we won't be apologising.",
        "Our records don't lie, so the error is not with us.",
        "The driver was within his rights to leave the parcel.",
        "We're confident our staff behaved professionally, regardless of what you say.",
        "The system worked as intended and there's no mistake on our end.",
        "We reject the claim that our agent was rude.",
        "Frankly, that version of events doesn't match ours.",
        "With respect, our engineer knows what he's doing.",
        "We've been completely transparent from the start, so I don't see the problem.",
        "I can assure you we made no error, and the charge is valid.",
        "How many times do we need to go through this?",
        "We've answered this question more than enough.",
        "Let me repeat myself one more time: the refund was issued.",
        "Again, for the last time, the shop shuts at six.",
        "I'm not going to argue about who said what.",
        "Our policy has always been clear, so there's no confusion on our side.",
        "It wasn't us who caused the delay, it was the weather.",
        "Nothing about our service was at fault in this case.",
        "Don't blame us for the courier's mistakes.",
        "Our prices are fair and we won't justify them further.",
        "The pilot made the right call and we stand behind him.",
        "We did our part; the rest was out of our control.",
        "Your account of the call is simply not what happened.",
        "Our checks showed nothing wrong, so the fault must be yours.",
        "We will not accept blame for a problem we didn't create.",
        "Honestly, our team went above and beyond, so this complaint is unfair.",
        "Nobody on our side would have told you that.",
        "We always send the email, so you must have received it.",
    ],
    "blaming": [
        "You picked the wrong delivery date, which is why it didn't arrive.",
        "This wouldn't have happened if you'd updated the app.",
        "The parcel went back because you weren't home to sign for it.",
        "You typed the wrong email, so the receipt went elsewhere.",
        "That's what happens when you ignore the warning on the screen.",
        "You bought the basic plan, so of course it doesn't include that.",
        "The screen cracked because the phone was dropped, not because of a fault.",
        "Your card was charged twice because you clicked pay twice.",
        "Perhaps double-check your details before submitting next time.",
        "It's a shame you didn't think to check the dates first.",
        "You left it too late to cancel, so the fee applies.",
        "The item was damaged by how you stored it.",
        "Had you kept the packaging, we could have helped.",
        "If you'd been on time, you would have made the flight.",
        "Your router isn't working because you moved it into a cupboard.",
        "The account was locked because you entered the wrong password five times.",
        "Whoever set up the device at your end skipped a step.",
        "Next time, make sure you read the description properly.",
        "Maybe check the size chart before ordering in future.",
        "Ultimately it was your decision to book the non-flexible fare.",
        "You agreed to these terms when you signed up.",
        "It's the customer's job to check the order before the driver leaves.",
        "Didn't you see the notice on the booking page?",
        "Why didn't you contact us sooner if it was broken?",
        "You can't expect a refund after using it for three months.",
        "The missing points are because you forgot to scan your card.",
        "Entering the wrong PIN three times will block the card, as you've found out.",
        "If you had charged it properly, the battery would be fine.",
        "Using a cheap cable is what damaged the port.",
        "You didn't tick the box for express delivery, so it came standard.",
    ],
    "condescending": [
        "It's really quite basic: press the power button.",
        "Let me put this in simple terms for you.",
        "Even a child could set this up in a minute.",
        "I'll say it slowly so it sinks in this time.",
        "Pay attention this time: the code goes in the box at the bottom.",
        "Most people manage to work this out on their own.",
        "Try to keep up, the sale finished on Sunday.",
        "Honestly, it's all on the website if you bother to look.",
        "I know technology can be confusing for some people.",
        "Do you know how to use a browser?",
        "It's a simple concept: no receipt, no return.",
        "Reading the email we sent would have answered this.",
        "You might want to ask a younger relative to help you.",
        "Bless you, that's not how phones work.",
        "Oh honey, the shop isn't open on Sundays.",
        "Listen carefully, because I won't explain it again.",
        "I'm not sure how to make this any clearer for you.",
        "Perhaps look at the big red button labelled Cancel.",
        "As a reminder for those who don't read instructions, it needs charging first.",
        "We assumed everyone knew that tickets are dated.",
        "Good grief, the answer is in the first line of the FAQ.",
        "It's basic common sense to keep your receipt.",
        "Surely it's obvious the deal ended at midnight?",
        "I'd have thought it was clear the price was per person.",
        "Have you tried actually reading the page?",
        "You'd be surprised how many people miss the big blue banner.",
        "Think about it for a second: a free trial doesn't last forever.",
        "The clue is in the name: it's a one-way ticket.",
        "Let's go through this step by step, since it seems tricky for you.",
        "Don't worry, lots of less experienced users get confused by this.",
    ],
    "dismissive": [
        "We have nothing further to add on this.",
        "This matter is closed and won't be reopened.",
        "We've heard your complaint and our answer hasn't changed.",
        "If you're unhappy, you're welcome to take your business elsewhere.",
        "That's just something you'll have to live with.",
        "We're not going to discuss this any further.",
        "Your opinion has been noted.",
        "It's a minor issue and hardly worth a complaint.",
        "We won't be responding to further messages about this.",
        "There's really no point in us going back and forth.",
        "That's the price, like it or not.",
        "Some delay is normal, so we don't see a problem.",
        "We don't make exceptions, no matter the reason.",
        "You'll just have to wait like everyone else.",
        "That's simply the way the airline industry works.",
        "It's only a few pounds, so let's not make a fuss.",
        "Nothing will change, so please stop messaging.",
        "Not much we can say beyond what's on the website.",
        "Such is life with deliveries at Christmas.",
        "These things happen, and there's no use dwelling on it.",
        "We've decided, and that's the end of it.",
        "The fee applies to everyone, so there's no discussion to have.",
        "We don't comment on individual complaints.",
        "Honestly, a scratch on the box doesn't matter.",
        "Other customers are perfectly happy with the service.",
        "It's out of our hands, so there's no sense asking us.",
        "We're done discussing the refund.",
        "Your issue isn't a priority for us right now.",
        "Please direct complaints elsewhere; we only handle sales.",
        "I suggest you move on from this.",
    ],
    "joke": [
        "Looks like your parcel is on a world tour!",
        "Well, the printer has clearly got a mind of its own.",
        "At least you got some exercise walking to the depot!",
        "Your router must be taking a well-earned nap.",
        "Ha, the app clearly needs its morning coffee.",
        "Who needs a working fridge in winter anyway?",
        "Think of the delay as bonus reading time!",
        "Oops, the oven has gone on strike again.",
        "Sounds like the washing machine is possessed.",
        "On the plus side, you've had a very quiet phone all week!",
        "Classic Monday, right?",
        "Well, that's one way to start the weekend!",
        "The kettle clearly didn't get the memo.",
        "Must be your lucky day, two broken chargers in a row!",
        "Who knew a toaster could be so dramatic?",
        "Our courier must have fancied a holiday with your parcel.",
        "Sounds like the train wanted a lie-in too.",
        "Plot twist: the refund was hiding in your spam folder!",
        "Your luggage is clearly having more fun than you.",
        "Well, the cake survived, sort of!",
        "Guess the delivery van took the scenic route.",
        "Ah, the joys of modern technology!",
        "That's what we call an adventure!",
        "Don't you just love Mondays?",
        "Cheer up, it could be worse, it could be raining!",
        "Our Wi-Fi and your Wi-Fi should start a support group.",
        "Sounds like the sofa wanted to stay in the warehouse.",
        "Bet you didn't expect a cold shower in your new flat, ha.",
    ],
    "negative": [
        "No refund will be issued for this order.",
        "You will not be receiving compensation.",
        "There is no option to change your seat.",
        "Your request has been denied.",
        "The complaint has been rejected.",
        "Exchanges are not offered on any sale items.",
        "We are unable to do anything about the delay.",
        "Cancellations are not accepted under any circumstances.",
        "That's a no from us.",
        "There won't be any replacement.",
        "Unfortunately the answer is no, and it will stay no.",
        "Your account cannot be restored.",
        "No further action will be taken.",
        "We don't offer refunds, full stop.",
        "The voucher is invalid and won't be reissued.",
        "Nothing can be changed once the order is placed.",
        "You are not eligible for a discount.",
        "Late returns are never accepted.",
        "The appeal was unsuccessful and is final.",
        "Sorry, but no.",
        "Compensation is out of the question.",
        "It is not possible for us to help with this.",
        "Requests like this are always refused.",
        "Your points have expired and cannot be recovered.",
    ],
    OK: [
        "Thanks for getting in touch.",
        "I'm really sorry about this.",
        "I'm sorry your order arrived damaged.",
        "That's not the experience we want you to have.",
        "I completely understand how frustrating that is.",
        "Thanks for your patience while we looked into it.",
        "Let's get this sorted for you.",
        "Could you send us a DM with your order number?",
        "Please don't share personal details here.",
        "I've issued a full refund to your original payment method.",
        "Your replacement leaves our warehouse today.",
        "The engineer will visit on Thursday between 8 and 12.",
        "Here's a link to the returns form.",
        "Happy to help!",
        "Thank you for the kind words!",
        "We'll pass your feedback on to the store manager today.",
        "Unfortunately we can't refund opened items, but we can exchange it for you.",
        "I'm afraid the fare isn't refundable, but I can move your trip to another date at no cost.",
        "We aren't able to change the price after purchase; what I can do is add a 10% voucher.",
        "Sadly the offer has ended, but a new one starts next week.",
        "Our returns window is 30 days, and I've made an exception for you this time.",
        "The policy is there to keep everyone's data safe, so we'll need to verify your identity first.",
        "For security, we can only discuss the account with the account holder.",
        "To explain: the fee covers the courier's second attempt.",
        "The terms allow a free cancellation up to 24 hours before check-in.",
        "You can cancel any time in the app under Account.",
        "You should receive a confirmation email within a few minutes.",
        "You should have a tracking link in your inbox.",
        "If you still have the receipt, the store can swap it straight away.",
        "If the code isn't working, try entering it in capitals.",
        "Next time you visit, just show this message at the desk.",
        "You're absolutely right, and thank you for pointing it out.",
        "You did the right thing by contacting us.",
        "It's easy to miss that setting, it's tucked away under Privacy.",
        "That's a common mix-up, and it's quick to fix.",
        "Don't worry, nothing has been lost.",
        "No problem at all!",
        "No worries, the order has been cancelled.",
        "We're on it right now and will update you by 3pm.",
        "I've checked and your parcel is at the local depot.",
        "Please restart the router and let us know if the light turns green.",
        "Could you tell us which version of the app you're on?",
        "We're sorry for the inconvenience caused.",
        "The store opens at 9am on weekdays.",
        "A full refund will reach your account within 5 working days.",
        "I understand, and I'd feel the same.",
        "We hear you, and we're making changes.",
        "We've passed this to our quality team.",
        "That sounds like a great day out, thanks for sharing!",
        "Ha, we love this photo! Thanks for tagging us.",
        "Great to hear the new update fixed it.",
        "Enjoy the rest of your weekend!",
        "We can't wait to welcome you on board.",
        "I can't apologise enough for the trouble.",
        "Unfortunately the item is out of stock; I've set an alert so you hear when it's back.",
        "We're not able to see your account details here, so a DM would be best.",
        "No refund is needed, as the charge was never taken.",
        "There's no charge for the replacement.",
        "Nothing is required from you; it's all been handled.",
        "We don't want you to miss out, so here's a code for 15% off.",
        "The decision was reviewed by a manager, and I'm sorry it's not the outcome you hoped for.",
        "I know this isn't the answer you wanted, and I'm sorry.",
        "We made a change to the menu last month; the old dish is on the specials board on Fridays.",
        "As mentioned on our website, the lounge reopens in May.",
        "Good question, the charger is sold separately.",
        "Just to confirm, your booking is for two people on Friday.",
        "Just so you know, the app update arrives tomorrow.",
        "To be honest, we're just as keen as you to get this fixed.",
        "Honestly, thank you for being so patient.",
        "Please bear with us while the team investigates.",
        "Let me check that for you.",
        "Sorry for the delay in replying.",
        "We'd like to make this right.",
        "Can we call you to talk it through?",
        "Thanks for flagging this, the page is fixed.",
        # owning a mistake is not defensive, and agreeing with the customer is not blaming them
        "That was our mistake, and I'm sorry.",
        "We got this one wrong, and we're putting it right today.",
        "The error was on our side, not yours.",
        "You're right, we should have caught that.",
        "You're right, the price on the shelf was wrong.",
        "We dropped the ball here, and I'm sorry.",
        "Our courier made a mistake with the address.",
        "The system charged you twice by mistake; the extra payment is refunded.",
        "The page was out of date, thanks for telling us.",
        "The menu online was wrong, and it's been corrected.",
        "Our agent gave you the wrong information, and I'm sorry about that.",
        "It looks like the order was packed incorrectly.",
        "The store should never have turned you away.",
        "That's completely on us.",
        "We take full responsibility for the delay.",
        "Fair point, and thanks for raising it.",
        "Good catch, that's a typo on our side.",
        "We don't stock that size any more, but the next size up is in stock.",
        "That item is discontinued; here's the closest match.",
        "The refund is done and you won't be charged again.",
        "Your booking is cancelled and nothing further is due.",
        "A new one leaves our warehouse this afternoon.",
        "The replacement was dispatched this morning.",
    ],
}

# --- combinations: frames x slots -------------------------------------------------------------

TOPICS = ["the refund", "your order", "the delivery", "the booking", "the repair", "the parcel", "your account",
          "the warranty claim", "the delay", "the fee", "the cancellation", "the exchange", "your ticket",
          "the charge", "the subscription", "the upgrade"]
SUBJECTS = ["our driver", "the store team", "our system", "the agent you spoke to", "our website", "the crew",
            "our engineer", "the warehouse", "our billing team", "the manager on duty"]
DEFENSIVE_PRED = ["acted correctly", "did everything by the book", "made no error", "was completely in the right",
                  "handled it properly", "is not at fault here", "did exactly what was required",
                  "behaved perfectly reasonably"]
DEFENSIVE_TAIL = ["", ", whatever you may think", ", so there's nothing to apologise for", ", end of story",
                  ", and we won't be saying otherwise", ", so the problem lies elsewhere"]
OK_SUBJECT_PRED = ["should have done better, and I'm sorry", "let you down, and I'm sorry",
                   "will call you this afternoon", "has been asked to look at this today",
                   "is checking this for you now", "has confirmed the refund"]
MISTAKES = [("chose the wrong date", "chosen the wrong date"), ("typed the address incorrectly", "typed the address incorrectly"),
            ("skipped the confirmation step", "skipped the confirmation step"), ("let the subscription lapse", "let the subscription lapse"),
            ("didn't update the app", "updated the app"), ("used a third-party charger", "used a third-party charger"),
            ("threw away the packaging", "thrown away the packaging"), ("missed the cut-off time", "missed the cut-off time"),
            ("ignored the care label", "ignored the care label"), ("ordered the wrong model", "ordered the wrong model"),
            ("entered the old card", "entered the old card"), ("booked the non-refundable fare", "booked the non-refundable fare")]
BLAME_FRAMES = ["That happened because you {p}.", "The issue is simply that you {p}.", "It's down to the fact that you {p}.",
                "This is the result of the fact that you {p}.", "The problem started when you {p}.",
                "Well, you {p}, so this is expected.", "Unfortunately for you, you {p}."]
BLAME_PP_FRAMES = ["If you hadn't {pp}, this wouldn't have happened.", "None of this would have happened had you not {pp}."]
OK_MISTAKE_FRAMES = ["If you {p}, don't worry: we can fix that for you.", "No problem if you {p}, it happens and it's easy to change.",
                     "It's fine if you {p}; I've corrected it on our side."]
INSTRUCTIONS = ["the refund goes back to the card you paid with", "the app needs the latest update",
                "the code only works on full-price items", "the store closes at six", "the ticket is only valid on the day",
                "the router needs restarting", "returns need the original receipt", "the offer ended on Sunday",
                "the charger is sold separately", "the booking can be changed in the app"]
CONDESCENDING_LEADS = ["It's really quite basic:", "Let me explain this in very simple terms:", "I'll say it slowly:",
                       "Try to keep up:", "Pay attention this time:", "As anyone who reads the page would know,",
                       "For the hard of reading,", "It's hardly complicated:", "Read this carefully, since it seems to be confusing you:",
                       "Once more, for your benefit:", "Believe it or not,", "Surely you realise"]
KIND_LEADS = ["Here's how it works:", "Good question:", "Happy to explain:", "Quick tip:", "Just to help,",
              "To clear things up,", "Thanks for asking:", "In case it helps,", "Sorry for any confusion:"]
DISMISSIVE_FRAMES = ["We've nothing more to say about {t}.", "We won't be engaging further on {t}.",
                     "There's no point arguing about {t}.", "We consider the matter of {t} closed.",
                     "{T} is not something we're prepared to discuss again.", "Frankly, {t} is not our concern.",
                     "{T} is a small thing, so let's not make a drama of it.", "Our answer on {t} is final; please stop asking."]
OK_TOPIC_FRAMES = ["I've checked {t} and it's all sorted.", "I've escalated {t} to a manager, who'll reply by 4pm.",
                   "Thanks for your patience with {t}.", "I'm sorry {t} has been such a hassle.",
                   "Let me look into {t} for you right now.", "Here's an update on {t}: it's been approved.",
                   "Unfortunately {t} can't be changed, but I can offer a voucher instead.",
                   "I know {t} has been frustrating; it's now been resolved."]
NEGATIVE_FRAMES = ["{T} will not be reconsidered.", "{T} cannot be changed under any circumstances.",
                   "No exceptions will be made for {t}.", "There is nothing available regarding {t}.",
                   "{T} has been refused and the decision is final."]
JOKE_OPENERS = ["Well, that's a new one!", "Ha, classic!", "Oh the irony!", "Talk about bad luck, eh?",
                "Someone's having a rough day!", "What are the odds, right?", "Well, at least it's memorable!",
                "That's a story for the grandchildren!"]
ADMISSION_FRAMES = ["I'm sorry, {t} went wrong on our side.", "You're right, we made a mess of {t}.",
                    "That's our error with {t}, and we're fixing it now.", "We should have handled {t} better.",
                    "Thanks for pointing out the mistake with {t}; it's corrected."]
OK_OPENERS = ["Oh no, I'm so sorry!", "That's really not good enough, sorry.", "What a frustrating start to the day, I'm sorry.",
              "I'm sorry, that must have been stressful.", "Thanks for telling us."]


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def sentences(seed: int = 7) -> list[tuple[str, str]]:
    """(sentence, label) pairs, label one of KINDS or "ok"; deterministic for a seed."""
    return [(text, label) for text, label, _ in examples(seed)]


def examples(seed: int = 7) -> list[tuple[str, str, str]]:
    """(sentence, label, group): sentences built on one frame or lead share a group, so
    cross-validation holds out whole frames (a paraphrase, not a copy with another topic)."""
    out: list[tuple[str, str, str]] = []
    for label, texts in HAND.items():
        out += [(t, label, f"hand:{label}:{i}") for i, t in enumerate(texts)]
    rng = random.Random(seed)
    for s, p, tail in rng.sample(list(itertools.product(SUBJECTS, DEFENSIVE_PRED, DEFENSIVE_TAIL)), 160):
        out.append((f"{_cap(s)} {p}{tail}.", "defensive", f"def:{DEFENSIVE_PRED.index(p)}"))
    for s, p in itertools.product(SUBJECTS, OK_SUBJECT_PRED):
        out.append((f"{_cap(s)} {p}.", OK, f"okpred:{OK_SUBJECT_PRED.index(p)}"))
    for (p, pp), f in itertools.product(MISTAKES, BLAME_FRAMES):
        out.append((f.format(p=p), "blaming", f"blame:{BLAME_FRAMES.index(f)}"))
    for (p, pp), f in itertools.product(MISTAKES, BLAME_PP_FRAMES):
        if not p.startswith("didn't"):
            out.append((f.format(pp=pp), "blaming", f"blamepp:{BLAME_PP_FRAMES.index(f)}"))
    for (p, pp), f in itertools.product(MISTAKES, OK_MISTAKE_FRAMES):
        out.append((f.format(p=p), OK, f"okmistake:{OK_MISTAKE_FRAMES.index(f)}"))
    for lead, ins in itertools.product(CONDESCENDING_LEADS, INSTRUCTIONS):
        out.append((f"{lead} {ins}.", "condescending", f"cond:{CONDESCENDING_LEADS.index(lead)}"))
    for lead, ins in itertools.product(KIND_LEADS, INSTRUCTIONS):
        out.append((f"{lead} {ins}.", OK, f"kind:{KIND_LEADS.index(lead)}"))
    for f, t in itertools.product(DISMISSIVE_FRAMES, TOPICS):
        out.append((f.format(t=t, T=_cap(t)), "dismissive", f"dis:{DISMISSIVE_FRAMES.index(f)}"))
    for f, t in itertools.product(OK_TOPIC_FRAMES, TOPICS):
        out.append((f.format(t=t, T=_cap(t)), OK, f"oktopic:{OK_TOPIC_FRAMES.index(f)}"))
    for f, t in itertools.product(ADMISSION_FRAMES, TOPICS):
        out.append((f.format(t=t, T=_cap(t)), OK, f"admit:{ADMISSION_FRAMES.index(f)}"))
    for f, t in itertools.product(NEGATIVE_FRAMES, TOPICS):
        out.append((f.format(t=t, T=_cap(t)), "negative", f"neg:{NEGATIVE_FRAMES.index(f)}"))
    fixes = ["A replacement ships today.", "The refund went out this morning.", "An engineer is booked for Friday."]
    for opener in JOKE_OPENERS:
        for fix in rng.sample(fixes, 2):
            out.append((f"{opener} {fix}", "joke", f"joke:{JOKE_OPENERS.index(opener)}"))
    for opener in OK_OPENERS:
        for fix in fixes:
            out.append((f"{opener} {fix}", OK, f"okopener:{OK_OPENERS.index(opener)}"))
    seen, unique = set(), []
    for text, label, group in out:
        if text.lower() not in seen:
            seen.add(text.lower())
            unique.append((text, label, group))
    return unique
