"""Crumbtrail, an invented food delivery app: its voice and its customers' matters."""

from __future__ import annotations

from .model import HANDOFF, PRIVATE, PUBLIC, SIMPLE, Content, Scenario, Voice

VOICE = Voice(
    signature="emoji",
    sign_emoji="🧡",
    ack_dm=(
        "Oh no, {first}! That's not how dinner should go. Send us a DM with your order number and we'll sort it.",
        "Sorry {first}, that's rubbish. Can you DM us so we can take a look at the order?",
        "Hi {first}, we want to fix this. Slide into our DMs with the order details and we'll get on it.",
        "That's not OK, {first}. Please DM us and we'll look into it right away.",
    ),
    ack_pii=(
        "Hi {first}, we're on it! Please delete this post though, as it shows your address and number. DM us the details instead.",
        "Hi {first}, for your safety please take this post down, it has your contact details. Our DMs are open and we'll help there.",
    ),
    ack_public=(
        "Hi {first}, sorry about this! Let me check what happened.",
        "Thanks for the heads up, {first}. Looking into it now.",
    ),
    ask=(
        "Thanks {first}! Can you send a photo of the order and the receipt in the bag?",
        "Could you tell me which items were missing, {first}?",
        "What's the email on your Crumbtrail account, so I can find the order?",
    ),
    internal=(
        "Thanks {first}. I've asked the team who handle this to look into it and I'll get back to you within 24 hours.",
        "I've raised this with the restaurant and our specialists. I'll update you as soon as I hear back.",
    ),
    chase_sorry=(
        "So sorry for the wait, {first}. Dinner rush! Looking at this now.",
        "Apologies for the slow reply, {first}. I'm on it.",
    ),
    welcome=(
        "Anytime, {first}! Enjoy your food 🍜",
        "You're welcome! Here's to a tastier next order.",
        "Glad we could help, {first}. Bon appétit!",
    ),
    close_loop=(
        "Update for anyone following: we've sorted this with {first} by DM. Thanks for bearing with us!",
        "Hi {first}, just checking back here: glad we got this fixed in DM 🧡",
    ),
    troll=(
        "We're here if you need a hand with an order!",
        "Noted! If anything's gone wrong with an order, drop us a DM.",
    ),
    praise=(
        "This made our night, {first}! We'll pass it on to the team 🧡",
        "Love this, {first}! Thanks for sharing. Enjoy!",
        "Thank you, {first}! We'll make sure the rider hears this.",
    ),
    feedback=(
        "Thanks {first}, great idea. I've passed it to our app team.",
        "Appreciate the feedback, {first}! Logged for the product team.",
    ),
    youtube_redirect=(
        "Hi {first}, sorry about this! We can't see orders here, so please DM us on Instagram @crumbtrail.app and we'll help.",
    ),
)

SLOTS = {
    "restaurant": (
        "Mama Lucia's Pizzeria", "Golden Lotus", "Smokestack BBQ", "Taqueria Verde", "The Curry Leaf",
        "Sushi Kaze", "Burger Yard", "Falafel Corner", "Pho Street Kitchen", "Noodle Bar 88", "Kebab King",
    ),
    "product": ("Crumbtrail Plus", "Friday meal deal", "free delivery offer", "the new app"),
    "dish": (
        "chicken katsu curry", "pepperoni pizza", "pad thai", "lamb kofta wrap", "veggie burger",
        "sushi platter", "paneer tikka masala", "loaded fries", "bibimbap", "brisket bun", "pho",
    ),
    "order": ("CT{d7}",),
    "amount": ("£12.40", "£18.95", "£23.10", "£31.75", "£9.80", "£42.60"),
    "wait": ("an hour and a half", "two hours", "75 minutes", "nearly two hours", "an hour"),
    "allergen": ("peanuts", "sesame", "gluten", "dairy", "shellfish", "tree nuts"),
    "code": ("CRUMB5", "FREEDEL", "HUNGRY10", "FIRSTBITE"),
}

MEDIA = (
    ("youtube", "Crumbtrail: dinner in 30 minutes (TV ad)"),
    ("youtube", "A night with our riders"),
    ("facebook", "New: order from two restaurants in one basket"),
    ("instagram", "Friday feast giveaway"),
)

INCIDENT = Scenario(
    key="payment-glitch", kind="complaint", team="orders", severity=3, weight=0, flow=PUBLIC,
    platforms=("x", "x", "instagram", "facebook"), tags=("payments", "app-incident"),
    opening=(
        "App says payment failed but the money has gone from my account. Twice.",
        "Is the Crumbtrail app broken? Order won't go through and I've been charged {amount}",
        "Charged three times for one order that never went through. Brilliant.",
        "Payment error on every order tonight. Hungry and skint now 🙃",
        "anyone else getting 'payment failed' on crumbtrail but the bank says paid??",
    ),
    ack=(
        "Hi {first}, sorry! We know about a payment problem tonight. Any failed orders won't be charged; pending payments drop off within 48 hours.",
        "We're aware of a fault with payments, {first}. The team are fixing it; you won't be charged for orders that failed.",
    ),
    answer=(
        "Payments are working again, {first}. Any charges for failed orders have been reversed; they'll disappear within 2 working days.",
    ),
    thanks=("ok thanks for letting me know", "Cheers, can see the refund pending now"),
    crowd=("Same here!", "Happening to me too", "Got charged twice as well", "Just me or is the app dead"),
    notes=("Linked to payments incident INC-{d5}.",),
    outcomes=(("resolved", 6), ("closed", 3), ("open", 1)),
)

SCENARIOS = (
    Scenario(
        key="late-order", kind="complaint", team="couriers", severity=2, weight=5, tags=("late",),
        opening=(
            "Ordered {wait} ago. App says the rider is 'nearby'. Has been nearby for 40 minutes.",
            "Where is my food? The map shows the rider going in circles round the block",
            "Estimated 30 minutes. It's now been {wait}. Kids are starving.",
            "Order from {restaurant} still not here and the app just keeps adding 10 minutes",
        ),
        more=("Update: now it says 'delivered'. It hasn't been.", "Still waiting. Food will be stone cold anyway"),
        details=("Order {order} from {restaurant}. Placed at 7.10pm.",),
        answer=(
            "I'm sorry, {first}. Your rider had a puncture. I've refunded the order in full and added a {code} voucher for next time.",
            "The rider is two minutes away now. I've refunded your delivery fee for the wait.",
            "I've refunded {amount} to your card; you should see it in 2 to 3 days.",
        ),
        thanks=("Ok thanks, appreciated", "Food arrived, refund noted. Thanks"),
        crowd=(
            "Same here, order from an hour ago still not here",
            "Crumbtrail tonight is a disaster",
            "Mine got cancelled after 50 minutes 🙄",
            "Glad it's not just me",
        ),
    ),
    Scenario(
        key="cold-food", kind="complaint", team="orders", severity=2, weight=3, tags=("quality",),
        opening=(
            "Food arrived stone cold. {amount} for cold {dish}. Not good enough.",
            "My {dish} arrived looking like it had been thrown down the stairs",
            "Lukewarm and soggy. What's the point of delivery if it arrives like this",
        ),
        ask=VOICE.ask[:1],
        reply_to_ask=("Photo sent. You can see the state of it.",),
        answer=("Thanks for the photo, {first}. I've refunded the {dish} and let {restaurant} know about the packaging.",),
    ),
    Scenario(
        key="missing-items", kind="complaint", team="orders", severity=2, weight=4, flow=PRIVATE, tags=("missing-items",),
        opening=(
            "Hi, half my order is missing. No drinks, no sides.",
            "My {dish} wasn't in the bag. Just the sides came.",
            "Paid for two mains and got one. Who do I talk to?",
        ),
        details=("Order {order} from {restaurant}. Missing the {dish} and a drink.",),
        answer=(
            "Sorry about that, {first}! I've refunded the missing items, {amount}, to your original payment method.",
            "I've refunded the missing {dish} and let {restaurant} know so they can check their packing.",
        ),
        thanks=("Thanks, that was quick!", "Great, cheers"),
    ),
    Scenario(
        key="wrong-order", kind="complaint", team="orders", severity=2, weight=2, tags=("wrong-order",),
        opening=(
            "Got someone else's order entirely. I'm vegetarian and this is all chicken.",
            "This isn't my order. The receipt has someone else's name on it",
        ),
        details=("My order was {order}, {dish} from {restaurant}. I got a completely different order.",),
        answer=("Really sorry, {first}. I've refunded you in full; the restaurant is looking at how the bags got swapped.",),
    ),
    Scenario(
        key="not-delivered", kind="complaint", team="orders", severity=3, weight=3, tags=("not-delivered",),
        opening=(
            "App says delivered. Nothing at my door. Nothing in the hall. Where's my food?",
            "Rider marked my order delivered from the other side of town (I can see it on the map!)",
        ),
        details=("Order {order}. It says delivered at 8.42 but I was standing at the door.",),
        internal=("I've asked our courier team to check the rider's GPS for that drop. I'll update you shortly.",),
        answer=(
            "The GPS shows the drop wasn't at your address, {first}. Full refund of {amount} done and we've spoken to the rider.",
        ),
    ),
    Scenario(
        key="refund-refused", kind="complaint", team="orders", severity=3, weight=3, tags=("refund",),
        opening=(
            "The app auto-rejected my refund for a missing meal. I didn't get the food! How is that fair?",
            "Your refund bot says my request 'doesn't qualify'. A real person needs to look at this",
            "Paid {amount}, received nothing, refund refused. Genuinely considering a chargeback",
        ),
        details=("Order {order}. Refund request was rejected within a minute, no explanation.",),
        answer=("You're right, that shouldn't have been rejected. I've refunded {amount} in full, {first}, and flagged the decision for review.",),
        crowd=("They rejected mine as well", "It's automatic, you have to complain publicly to get a person", "Chargeback it"),
    ),
    Scenario(
        key="allergy", kind="complaint", team="trust", severity=4, weight=1, tags=("allergy", "safety"),
        opening=(
            "I put 'severe {allergen} allergy' in the notes and the order came covered in it. I had to use my EpiPen.",
            "My son reacted to his meal tonight. We asked for no {allergen} and the restaurant confirmed. We're at A&E.",
        ),
        ack=("{first}, we're so sorry. Please look after yourselves first. When you're able, DM us so our safety team can look into this urgently.",),
        details=("Order {order} from {restaurant}. Note said no {allergen}, severe allergy. We're home now.",),
        internal=("Thank you for telling us. Our trust and safety team have suspended the item and are investigating with {restaurant}. A team lead will call you.",),
        answer=("Our safety team's investigation is complete: {restaurant} is off the app until they pass an allergen review. A full refund is done.",),
        notes=("Allergic reaction. Safety team owns this. Nothing in public beyond the first reply.",),
    ),
    Scenario(
        key="rider-conduct", kind="complaint", team="trust", severity=3, weight=2, tags=("rider", "conduct"),
        opening=(
            "Your rider was driving his moped on the pavement past a primary school at home time. Dangerous.",
            "Rider swore at me because I asked him to come up to the flat. I use a wheelchair.",
            "The bag was opened and half my chips were gone. Rider was chewing when I opened the door.",
        ),
        details=("It was order {order}, around 6pm. I can describe the rider and the bike.",),
        internal=("Thank you for reporting this, {first}. Our trust and safety team are investigating and will take action if needed.",),
        answer=("Thanks for your patience, {first}. We've spoken with the rider and taken action under our code of conduct.",),
        notes=("Conduct report on a rider. Trust and safety investigating; do not share outcome details.",),
    ),
    Scenario(
        key="hygiene", kind="complaint", team="partners", severity=4, weight=1, tags=("hygiene", "safety"),
        opening=(
            "Found a long hair baked into my {dish}. Absolutely disgusting. Where is the hygiene rating for {restaurant}?",
            "There was a piece of blue plastic in my food from {restaurant}. Could have choked.",
        ),
        details=("Order {order}. I've kept the food and the packaging, photos attached.",),
        internal=("I've reported this to our restaurant partner team, who will investigate with {restaurant} today. Please keep the food if you can.",),
        answer=("We've completed our review with {restaurant}; they have retrained staff and will be inspected. Full refund done, {first}.",),
        notes=("Foreign object report. Partner team investigating.",),
    ),
    Scenario(
        key="account-hacked", kind="complaint", team="trust", severity=3, weight=2, tags=("account", "security"),
        opening=(
            "Someone has been ordering food on my account in another city. My card has been charged four times.",
            "Got emails for orders I never placed. Has my account been hacked?",
        ),
        details=("Email on the account is the one I message from. The orders were tonight, all from the same restaurant.",),
        internal=("I've locked your account and cancelled the orders still open. Our security team will be in touch within 24 hours.",),
        answer=("All four charges have been refunded and your account has a new password and 2-step login, {first}.",),
        notes=("Account takeover. Locked, refunds approved, security team informed.",),
    ),
    Scenario(
        key="voucher", kind="complaint", team="care", severity=1, weight=2, flow=PUBLIC, tags=("promo",),
        opening=(
            "Why won't {code} work? It says expired but the email came today",
            "Promo code from your ad doesn't apply at checkout",
        ),
        answer=(
            "Hi {first}! {code} works on orders over £20 before delivery fees. If yours was over that, DM us and we'll add it manually.",
        ),
    ),
    Scenario(
        key="rider-pay", kind="complaint", team="social", severity=3, weight=1, flow=PUBLIC, tags=("riders", "pr"),
        platforms=("x", "instagram", "youtube"),
        opening=(
            "Crumbtrail riders waiting 40 minutes outside restaurants unpaid while your ads say 'dinner in 30'. Pay your riders properly.",
            "Rider here. Pay per drop went down again this month. Anyone else?",
        ),
        crowd=(
            "Solidarity with the riders",
            "Every time I order the rider tells me how little they get",
            "Tip your riders people",
            "Not ordering until this is sorted",
            "Same in my city, drops pay less than last year",
        ),
        ack=("Thanks for raising this, {first}. Rider pay and waiting times are important to us. Our courier team would like to hear more by DM.",),
        notes=("Rider pay discussion. PR owns any public statement.",),
        outcomes=(("pending_internal", 3), ("open", 1), ("untouched", 1)),
    ),
    Scenario(
        key="partner-payout", kind="request", team="partners", severity=2, weight=2, flow=PRIVATE, tags=("partner", "payout"),
        opening=(
            "Hi, I run {restaurant}. Our weekly payout hasn't arrived and I have suppliers to pay.",
            "Restaurant owner here. How do we change the opening hours shown on the app? Support portal keeps erroring.",
        ),
        details=("Partner account for {restaurant}. Payout was due Tuesday, {amount} short.",),
        internal=("Thanks {first}. I've passed this to the partner payments team and asked them to check the payout today.",),
        answer=("The payout was held by a bank detail check. It's released now and should land tomorrow morning, {first}.",),
    ),
    Scenario(
        key="delivery-fee", kind="question", team="care", severity=1, weight=2, flow=PUBLIC,
        platforms=("x", "facebook", "instagram"), tags=("fees",),
        opening=(
            "Why is the delivery fee {amount} tonight? It was 99p last week",
            "What's the 'service fee' for exactly?",
        ),
        answer=(
            "Hi {first}, fees change with distance and how busy riders are. The full breakdown is shown before you pay.",
        ),
    ),
    Scenario(
        key="cancel-order", kind="request", team="orders", severity=1, weight=2, flow=PRIVATE, tags=("cancellation",),
        opening=("Can I cancel my order? I ordered to the wrong address", "Please cancel my order, it's been an hour and the restaurant hasn't started it"),
        details=("Order {order}, from {restaurant}.",),
        answer=(
            "Cancelled, {first}, with a full refund of {amount}.",
            "The restaurant had already made it, so I've redirected the rider to the right address instead.",
        ),
    ),
    Scenario(
        key="public-address", kind="complaint", team="orders", severity=2, weight=3, tags=("not-delivered",), traits=("pii",),
        opening=(
            "Food never came. I'm at 9 Albert Terrace, flat 3. Phone {phone}. Order {order}. Please just call me.",
            "Order {order}, nothing arrived. Call me on {phone}, I've had no response through the app.",
            "My email is {email} and the app won't let me report a problem. Order {order} never came.",
        ),
        details=("Sorry! Deleted it. Order {order}.",),
        answer=("Thanks {first}. The order went to the wrong flat; full refund done and a voucher added to your account.",),
    ),
    Scenario(
        key="praise", kind="praise", team="social", severity=0, weight=4, flow=SIMPLE,
        platforms=("instagram", "x", "facebook", "youtube"), tags=("praise",),
        opening=(
            "Shout out to the rider who delivered in the middle of that storm and still had a smile on 🙌",
            "Forgot to add my drink, messaged support, refund within two minutes. Impressed",
            "Friday night {dish} from {restaurant} via Crumbtrail is my love language 😍",
            "Rider noticed my elderly mum struggling with the door and carried everything in for her. Thank you!",
        ),
    ),
    Scenario(
        key="feedback", kind="feedback", team="social", severity=1, weight=2, flow=PUBLIC,
        platforms=("instagram", "facebook", "x", "youtube"), tags=("feedback",),
        opening=(
            "Please add a way to tip riders after delivery, not just at checkout",
            "Would love a filter for allergens. Reading every menu is exhausting",
            "Group ordering for the office would be amazing",
        ),
    ),
    Scenario(
        key="ad-comment", kind="feedback", team="social", severity=1, weight=2, flow=PUBLIC, platforms=("youtube",),
        tags=("marketing",),
        ack=(
            "Fair! We'll pass that on to our marketing team, {first}.",
            "Sorry (not sorry) about the jingle, {first} 🎶",
            "Our riders would agree with you there, {first}!",
        ),
        paired=True,
        opening=(
            "This ad plays before every single video I watch. I will never download this app now",
            "Who wrote this jingle. It's been in my head for three days",
            "The rider in this ad is the only realistic part lol",
        ),
        notes=("Ad feedback forwarded to marketing.",),
    ),
    Scenario(
        key="leaving", kind="complaint", team="care", severity=4, weight=1, flow=PUBLIC, tags=("churn",),
        platforms=("facebook", "x"), traits=("long",),
        opening=(
            "I've been a Crumbtrail Plus member for two years and I'm cancelling today.\n\n"
            "In the last month: one order never arrived, one came cold, and one was someone else's food. "
            "Each time the app offered me a voucher worth less than the delivery fee.\n\n"
            "I'd rather walk to the takeaway. Bye.",
        ),
        ack=("Hi {first}, thank you for telling us, and I'm sorry the last month has been like this. I'd really like to look at these orders myself. Could you DM us?",),
        answer=("Thanks for talking to me, {first}. I've refunded the three orders and cancelled your Plus renewal as you asked.",),
        notes=("Plus member cancelling after repeat failures. Full refunds approved.",),
    ),
    Scenario(
        key="missing-it", kind="complaint", team="orders", severity=2, weight=0.5, flow=PRIVATE, language="it",
        tags=("missing-items",), traits=("non_english",), platforms=("instagram", "facebook"),
        opening=("Ciao, nel mio ordine mancava la pizza. Posso avere un rimborso?",),
        details=("Ordine {order}, da {restaurant}.",),
        answer=("Ciao {first}, scusa per il disguido! Ti abbiamo rimborsato la pizza mancante.",),
    ),
    Scenario(
        key="late-de", kind="complaint", team="couriers", severity=2, weight=0.5, flow=HANDOFF, language="de",
        tags=("late",), traits=("non_english",), platforms=("x", "facebook"),
        opening=("Hallo, ich warte seit über einer Stunde auf meine Bestellung. Wo bleibt der Fahrer?",),
        ack=("Hallo {first}, das tut uns leid! Schick uns bitte eine Direktnachricht mit deiner Bestellnummer.",),
        details=("Bestellnummer {order}.",),
        answer=("Dein Fahrer hatte eine Panne. Wir haben dir den vollen Betrag erstattet, {first}.",),
    ),
)

CONTENT = Content(
    voice=VOICE, scenarios=SCENARIOS + (INCIDENT,), slots=SLOTS, media=MEDIA,
    incidents=(("payment-glitch", 18, 70.0, 2.0),),
)
