"""Wren & Loom, an invented online fashion retailer: its voice and its customers' matters."""

from __future__ import annotations

from .model import PRIVATE, PUBLIC, SIMPLE, Content, Scenario, Voice

VOICE = Voice(
    signature="dash",
    ack_dm=(
        "Oh no, {first}, that's not what we want for you. Could you send us a DM so we can look into it?",
        "Hi {first}, sorry to hear this. Pop us a DM with your order number and we'll get straight on it.",
        "So sorry about this, {first}! Drop us a DM and we'll take a look for you.",
        "Hi {first}, thanks for telling us. Can you DM us the details? Please don't share your order number or address here.",
        "That's really frustrating, {first}, sorry. Send us a message and we'll sort it from there.",
    ),
    ack_pii=(
        "Hi {first}, we're on it. For your safety, please delete this post as it has personal details in it, and DM us instead.",
        "Thanks {first}. Your post includes some personal info, so please remove it and send us the details by DM. We never need those in public.",
        "Hi {first}, we'd love to help. Could you take this post down? It shows your contact details. Our DMs are open and we'll pick it up there.",
    ),
    ack_public=(
        "Hi {first}, really sorry about this. I'm looking into it now and will update you here.",
        "Thanks for flagging, {first}. Let me check with the team and come back to you.",
        "Sorry {first}! Give me a moment to look into this for you.",
    ),
    ask=(
        "Thanks {first}. Could you confirm the order number and the email address on your account?",
        "Got it. Can you send me a photo of the item and the care label inside, please?",
        "Thanks! Which size and colour did you order, and which one arrived?",
    ),
    internal=(
        "Thanks {first}. I've raised this with the team who can fix it and asked them to prioritise it. I'll update you by tomorrow afternoon at the latest.",
        "I've passed this to our warehouse to investigate. These checks usually take a day or two; I'll message you as soon as I hear.",
        "I've asked a specialist to look at this today. I'll come back to you either way, {first}.",
    ),
    chase_sorry=(
        "Sorry for the wait, {first}. We're busier than usual; I'm on it now.",
        "Apologies for the slow reply, {first}, and thanks for bearing with us.",
    ),
    welcome=(
        "You're welcome, {first}! Enjoy your order 💛",
        "Glad we got there in the end. Have a lovely day!",
        "Anytime, {first}. Thanks for your patience with this.",
        "So pleased it's sorted. Shout if you need anything else!",
    ),
    close_loop=(
        "Update for anyone following: we've sorted this with {first} by DM. Thanks for your patience!",
        "Hi {first}, just checking back here: glad we got this resolved in DM. Let us know if anything else comes up 💛",
        "All sorted with {first} in DM. Thanks everyone for your patience.",
    ),
    troll=(
        "We're always here if there's something we can help with.",
        "Sorry you feel that way. If something's gone wrong with an order, we'd like to put it right.",
    ),
    praise=(
        "This made our day, {first}! Thanks for sharing 💛",
        "Love this! Thanks so much, {first}. We'll pass your kind words on to the team.",
        "Thank you, {first}! Wear it well ✨",
        "You look amazing, {first}! Thanks for tagging us 💛",
    ),
    feedback=(
        "Thanks for the feedback, {first}. I've shared it with our product team; it really does get read.",
        "Great suggestion, {first}! I've passed it on to the buying team.",
        "Thanks {first}, that's useful to hear. I've logged it for the team.",
    ),
    youtube_redirect=(
        "Hi {first}, sorry about this! We can't look at orders in the comments; message us on Instagram @wrenandloom or X @WrenLoomHelp and we'll help.",
    ),
)

SLOTS = {
    "product": (
        "linen wrap dress", "oversized denim jacket", "chunky rib cardigan", "wide-leg cord trousers",
        "leather ankle boots", "merino roll neck", "satin slip skirt", "quilted gilet", "high-rise jeans",
        "wool blend coat", "striped breton top", "cropped puffer", "pleated midi skirt", "chelsea boots",
        "cashmere scarf", "silk shirt", "jersey jumpsuit", "waxed rain mac",
    ),
    "garment": (
        "linen wrap dress", "chunky rib cardigan", "wide-leg cord trousers", "merino roll neck", "satin slip skirt",
        "striped breton top", "pleated midi skirt", "silk shirt", "jersey jumpsuit",
    ),
    "colour": ("sage", "oat", "black", "navy", "rust", "ivory", "forest green", "dusty pink", "charcoal", "camel"),
    "size": ("8", "10", "12", "14", "16", "XS", "S", "M", "L", "UK 5", "UK 7"),
    "order": ("WL{d8}",),
    "courier": ("ParcelPoint", "Hopwell Couriers", "Swiftdrop"),
    "amount": ("£24.99", "£39.00", "£58.50", "£89.00", "£120.00", "£14.99", "£65.00", "£142.80"),
    "code": ("WREN15", "AUTUMN20", "WELCOME10", "LOOMLOVE", "STUDENT10"),
    "country": ("Ireland", "Norway", "Canada", "Australia", "Switzerland"),
    "weeks": ("two", "three", "nearly four"),
}

MEDIA = (
    ("youtube", "Autumn edit: 5 ways to style the wrap dress"),
    ("youtube", "Inside our Leicester workroom"),
    ("youtube", "How to find your size at Wren & Loom"),
    ("facebook", "The Knitwear Drop is here"),
    ("facebook", "Our returns window is now 60 days"),
    ("instagram", "New in: the cord collection"),
    ("instagram", "Behind the scenes at the winter shoot"),
)

SCENARIOS = (
    Scenario(
        key="parcel-late", kind="complaint", team="delivery", severity=2, weight=5, tags=("delivery", "late"),
        opening=(
            "Order was meant to arrive {when_past} and still nothing. Tracking hasn't moved in days.",
            "Where is my parcel?? Paid for next day delivery and it's been a week",
            "{courier} tracking has said 'out for delivery' for three days now. What is going on?",
            "Ordered a {product} for a wedding this weekend. It's not here. Please tell me it's coming",
            "Honestly, how long does it take to post a {product}? Ordered {when_past}.",
        ),
        more=(
            "And before anyone says check the tracking, I have. It says nothing useful.",
            "The wedding is on Saturday btw so this actually matters",
        ),
        details=(
            "Hi, order {order}. Should have come {when_past} with {courier}. Tracking stuck at the depot.",
            "Order number is {order}. I paid {amount} including next day delivery.",
        ),
        internal=(
            "Thanks {first}. I've opened a trace with {courier} for order {order}; they usually answer within 24 hours and I'll update you straight away.",
        ),
        answer=(
            "Good news, {first}: {courier} found your parcel at their depot and it's on the van today. I've refunded your delivery charge too.",
            "{courier} confirmed the parcel was lost, so I've sent a replacement on our fastest service. It should be with you tomorrow.",
            "I've refunded the next-day charge and your parcel is out for delivery now. Sorry it took so long.",
        ),
        thanks=("Oh thank god. Thank you!", "Ok, fingers crossed. Thanks for chasing it", "Thanks, arrived this morning!"),
        comeback=("It still hasn't come. Tracking now says returned to sender??",),
        crowd=(
            "Same here, ordered {when_past} and nothing",
            "Mine has been 'with the courier' since last week too",
            "Glad it's not just me. Mine's a birthday present 🙄",
            "Honestly this is why I stopped ordering online",
            "Is {courier} having problems or is it you lot?",
            "+1, still waiting on mine",
        ),
        notes=("Trace opened with {courier}.", "Refunded delivery charge as goodwill.", "Courier depot backlog this week, see other cases."),
    ),
    Scenario(
        key="marked-delivered", kind="complaint", team="delivery", severity=3, weight=3, tags=("delivery", "missing"),
        opening=(
            "Tracking says my parcel was delivered and handed to resident. I've been home all day. Nothing.",
            "'Delivered' my foot. The photo proof is of a door that isn't mine",
            "Parcel marked as delivered at 2pm. I was in. No knock, no parcel, no card. Where is it?",
        ),
        details=(
            "Order {order}. The delivery photo shows a green door, mine is white. I'm on the ground floor.",
            "It's order {order}, {amount}. I've checked with neighbours, no one has it.",
        ),
        ask=("Sorry {first}. Could you check with neighbours and any safe place first? If it's still missing, reply here and I'll open a claim.",),
        reply_to_ask=("Checked with both neighbours and round the back. Nothing.",),
        internal=("I've opened a missing parcel claim with {courier}. They have two working days to reply; I'll chase them if they're late.",),
        answer=(
            "{courier} couldn't confirm the drop, so I've refunded {amount} in full to your original payment method, {first}.",
            "Claim accepted: a replacement is on its way with signature required this time.",
        ),
        notes=("Delivery photo shows the wrong address. Claim raised with courier.",),
    ),
    Scenario(
        key="wrong-item", kind="complaint", team="returns", severity=2, weight=3, tags=("returns", "wrong-item"),
        opening=(
            "Ordered the {product} in {colour}, size {size}. Got a completely different colour. Come on",
            "Opened my parcel and it's someone else's order entirely 🙃",
            "Ordered a {size}, label says {size}, fits like a kids' size. Which is it?",
        ),
        details=("Order {order}. I ordered {colour} in {size}. The bag inside says a different item code altogether.",),
        answer=(
            "Sorry about the mix-up, {first}! I've sent the right one out today on next day delivery and emailed you a free returns label for the other.",
            "I've arranged a free collection for the wrong item and refunded you while it's on its way back.",
        ),
        thanks=("Ok thanks, appreciate the quick sort", "Great, thanks. Let's hope it's the right one this time"),
    ),
    Scenario(
        key="damaged-item", kind="complaint", team="returns", severity=2, weight=2, tags=("returns", "quality"),
        opening=(
            "My {product} arrived with a hole in the sleeve. {amount} for that?",
            "The zip on the {product} broke the FIRST time I used it",
            "Arrived with a big mark on the front. Looks like it's been worn and sent back.",
        ),
        ask=VOICE.ask[1:2],
        reply_to_ask=("Sent the photos over just now.", "Here you go, you can see the mark clearly."),
        answer=(
            "Thanks for the photos, {first}. That's definitely not right. I've refunded you in full and you don't need to send it back.",
            "I've sent a replacement today and added a 15% code to your account for the hassle.",
        ),
    ),
    Scenario(
        key="refund-late", kind="complaint", team="returns", severity=3, weight=4, tags=("returns", "refund"),
        opening=(
            "Returned my order {weeks} weeks ago. Still no refund. This is theft at this point.",
            "Your returns policy says 14 days for a refund. It's been {weeks} weeks. Explain?",
            "I have the proof of postage for my return. You have my money. Where is my refund?",
            "Every time I ask about my refund I get a different answer. Can someone actually help",
        ),
        more=("I've emailed twice and had no reply either.",),
        details=(
            "Return was for order {order}, {amount}. Posted at the post office, I've got the receipt.",
            "Order {order}. Tracking on the return says it was delivered to your warehouse {when_past}.",
        ),
        internal=(
            "I can see your return reached us but hasn't been processed yet. I've asked the returns team to process it today.",
        ),
        answer=(
            "Your refund of {amount} has been processed today, {first}. Banks usually take 3 to 5 working days to show it. Sorry for the wait.",
            "I've pushed the refund through manually: {amount} is on its way back to your card now.",
        ),
        thanks=("Finally. Thank you.", "Thanks. Shouldn't have taken a public post though"),
        comeback=("It's been 6 working days and the refund still isn't in my account.",),
        crowd=(
            "Still waiting on mine too, returned it {when_past}",
            "Same. Refund has been 'processing' for weeks",
            "Wow so it's not just me then",
            "Reporting this to my bank if they don't pay up soon",
        ),
        notes=("Return scanned at warehouse but stuck in processing. Escalated.", "Returns backlog noted by the warehouse."),
    ),
    Scenario(
        key="poor-quality", kind="complaint", team="care", severity=2, weight=2, flow=PUBLIC,
        platforms=("x", "facebook", "instagram", "youtube"), tags=("quality",),
        opening=(
            "Washed my {product} once, on cold, as it says. It's now bobbly and two sizes smaller.",
            "Quality has gone right down. My old {product} lasted years, the new one lasted a month",
            "The seams on these are coming apart after two wears. Not what I expect at this price.",
        ),
        ack=("Really sorry to hear that, {first}. That's not the quality we aim for. If you DM us, we'll arrange a refund or replacement.",),
        answer=("Thanks {first}. We've passed this on to our quality team, who are looking at this batch. Our DMs are open for a refund.",),
        notes=("Third quality complaint about this item this week. Flagged to buying.",),
    ),
    Scenario(
        key="charged-twice", kind="complaint", team="returns", severity=3, weight=2, tags=("payment", "billing"),
        opening=(
            "You've charged me twice for the same order. {amount} twice. Sort it out please",
            "Two payments have left my account for one order and I'm now overdrawn. Thanks a lot.",
        ),
        details=("Order {order}. Two charges of {amount} on the same day. I only placed one order.",),
        internal=("I can see two payment attempts. I've asked our payments team to confirm which one failed so the hold can be released.",),
        answer=(
            "The second payment was a hold from a failed attempt. Our payments team have released it; your bank should drop it within 2 working days.",
            "I've refunded the duplicate payment of {amount} today. Really sorry for the worry, {first}.",
        ),
        notes=("Duplicate authorisation. Payments team released the hold.",),
    ),
    Scenario(
        key="promo-code", kind="complaint", team="care", severity=1, weight=2, flow=PUBLIC, tags=("promo",),
        opening=(
            "The code {code} isn't working at checkout. Says it's invalid?",
            "Why does every discount code you email me come back 'not valid'",
            "Tried {code} on my basket and nothing. Does it exclude everything or what",
        ),
        ack=("Hi {first}! Let me check that code for you.",),
        answer=(
            "Hi {first}, {code} excludes sale items, which is why it didn't apply. It works on full-price items until Sunday.",
            "Thanks for waiting, {first}. There was a fault with {code}; it's fixed now, so give it another go!",
        ),
        thanks=("Worked this time, thanks!", "ah ok that makes sense, ta"),
    ),
    Scenario(
        key="rude-store", kind="complaint", team="care", severity=3, weight=1, tags=("store", "staff"),
        opening=(
            "Went to return something at your {city} store and the staff member rolled her eyes and refused. Humiliating.",
            "Was followed round your {city} store like a shoplifter today. I've been a customer for 8 years.",
        ),
        details=("It was at about 4pm at the {city} store. I had my receipt. She said online returns can't come back to the shop.",),
        internal=("I'm really sorry, {first}. I've shared this with the {city} store manager, who will look into it and may want to call you.",),
        answer=(
            "The store manager has spoken with the team. Online returns can be made in any store, and they've apologised for what happened. I'm sorry too.",
        ),
        notes=("Passed to the {city} store manager with the time and date.",),
    ),
    Scenario(
        key="site-crash", kind="complaint", team="care", severity=2, weight=2, flow=PUBLIC,
        platforms=("x", "facebook", "instagram"), tags=("website", "sale"),
        opening=(
            "Your website has crashed three times during the sale and now my basket is empty. Amazing",
            "Site keeps saying 'something went wrong' at payment. Has my card been charged or not?",
        ),
        ack=("Sorry {first}, the site is very busy right now. The team are on it; anything in your basket is held for 30 minutes.",),
        answer=("The site is back to normal now, {first}. If you were charged for a failed order, it'll drop off within 2 days.",),
        crowd=(
            "Same! Got to payment three times and it threw me out",
            "It's literally unusable, tried on my phone and laptop",
            "Typical, sale starts and site dies",
            "Can you extend the sale since nobody could actually buy anything?",
            "Mine charged me but no confirmation email. Great.",
        ),
        notes=("Site slow at sale launch. Web team aware.",),
    ),
    Scenario(
        key="courier-conduct", kind="complaint", team="delivery", severity=2, weight=1, tags=("delivery", "courier"),
        opening=(
            "Your courier just threw my parcel over the gate into a puddle. Watched it happen on the doorbell camera.",
            "Delivery driver left my parcel on the doorstep in the pouring rain, in full view of the street.",
        ),
        details=("Order {order}. It happened around 11am. I've got the video if you need it.",),
        answer=("Thanks {first}. I've reported this to {courier} with the time and address, and refunded your delivery charge.",),
    ),
    Scenario(
        key="skin-reaction", kind="complaint", team="social", severity=4, weight=1, tags=("safety", "product-safety"),
        opening=(
            "Wore my new {product} for one afternoon and my neck and arms came up in a red rash. Is there something in the dye?",
            "My daughter had a reaction to the {product} we bought. Angry red marks wherever it touched. What is in this fabric?",
        ),
        ack=("We're so sorry, {first}. Please seek medical advice if you haven't already. Could you DM us so our product safety team can look into this?",),
        details=("Order {order}. Photos attached. The rash is calming down now but it was painful.",),
        internal=("Thank you. I've sent this to our product safety team, who will contact you directly by tomorrow. Please keep the item.",),
        answer=(
            "Our product safety team have tested the batch and are withdrawing it while they investigate. Full refund done; they'll call you about the results.",
        ),
        notes=(
            "Possible skin reaction. Product safety team informed; do not speculate about cause in public.",
            "Batch quarantined pending tests. Supervisor and PR aware.",
        ),
    ),
    Scenario(
        key="legal-threat", kind="complaint", team="returns", severity=4, weight=1, tags=("refund", "legal"),
        opening=(
            "Final warning. If my refund isn't back in my account by Friday I'm filing a small claim and reporting you to Trading Standards.",
            "I've spoken to Citizens Advice and I know my rights under the Consumer Rights Act. Refund me or I take this further.",
            "Chargeback going in tomorrow. I've given you every chance.",
        ),
        details=("Order {order}. Returned {weeks} weeks ago, {amount}. I have the receipt and tracking.",),
        internal=("I understand, {first}. I've escalated this to our returns manager today and asked for the refund to be processed urgently.",),
        answer=("Your refund of {amount} has been processed today, {first}. I'm sorry it came to this.",),
        notes=("Customer mentions legal action. Keep replies factual; manager informed.",),
    ),
    Scenario(
        key="leaving", kind="complaint", team="care", severity=4, weight=1, flow=PUBLIC,
        platforms=("facebook", "x"), tags=("churn",), traits=("long",),
        opening=(
            "I've shopped with Wren & Loom for almost ten years. I've recommended you to friends, bought gifts, the lot.\n\n"
            "But the last three orders have been a mess: one late, one wrong, one refund that took five weeks and four emails. "
            "Nobody ever replies the first time. The clothes don't feel like they used to either.\n\n"
            "So this is me done. I'm closing my account. I genuinely hope you sort it out because you used to be brilliant.",
            "I don't usually write reviews but here goes. Ordered a coat in October. It arrived with a broken zip. "
            "Returned it, waited three weeks for a refund, ordered again, got the same fault. Called, waited 40 minutes, "
            "was told to email. Emailed, got a template back. I'm done with Wren & Loom. Don't waste your money.",
        ),
        ack=(
            "Hi {first}, thank you for taking the time to write this, and I'm sorry we've let you down after so long. "
            "I'd really like to look at these orders personally. Could you DM us so I can put things right?",
        ),
        answer=(
            "Thanks for talking it through with me, {first}. I've refunded the outstanding order and passed your feedback to our head of customer care.",
        ),
        notes=("Long-standing customer threatening to leave. Offer a call with a team lead.",),
    ),
    Scenario(
        key="greenwashing", kind="complaint", team="social", severity=2, weight=1, flow=PUBLIC,
        platforms=("x", "instagram", "facebook"), tags=("sustainability", "pr"),
        opening=(
            "You call this the 'conscious collection' but the label says 100% polyester. What exactly is conscious about it?",
            "Genuine question: where are your clothes made and what do the workers get paid? Your site says nothing.",
        ),
        ack=("Fair question, {first}. Our supplier list and factory audits are on our website; I'll get you the exact link for this piece.",),
        answer=(
            "Here's the detail, {first}: that item uses recycled polyester from bottles, and its factory is listed on our supplier map with its last audit date.",
        ),
        crowd=("Good question, I'd like to know too", "They never answer this one", "Recycled plastic is still plastic"),
        notes=("PR to review any public answer on sourcing.",),
    ),
    Scenario(
        key="change-address", kind="request", team="delivery", severity=0, weight=3, flow=PRIVATE,
        tags=("delivery", "address-change"),
        opening=(
            "Hi! I've just realised my order is going to my old address. Can I change it?",
            "Hello, can I change the delivery address on an order I placed this morning?",
        ),
        details=("It's order {order}. The new address is 14 Beech Grove, {city}. Thank you!",),
        answer=(
            "Done, {first}! The address is updated and the courier has the change.",
            "Sorry {first}, that order had already left the warehouse, but I've asked {courier} to redirect it to your new address.",
        ),
        thanks=("Amazing, thank you!", "Lifesaver, thanks"),
    ),
    Scenario(
        key="cancel-order", kind="request", team="care", severity=1, weight=2, flow=PRIVATE, tags=("cancellation",),
        opening=(
            "Can I cancel an order please? Ordered the wrong size by mistake.",
            "Hi, I need to cancel my order from last night. The website won't let me.",
        ),
        details=("Order {order}. It was the {product} in {colour}.",),
        answer=(
            "All cancelled, {first}. Your refund of {amount} will be back within 3 to 5 working days.",
            "That one had already been packed, so I couldn't cancel it, but I've set up a free return for when it arrives.",
        ),
    ),
    Scenario(
        key="account-access", kind="request", team="care", severity=2, weight=2, tags=("account",),
        opening=(
            "Password reset email never arrives. Tried five times. Can't log in to check my orders.",
            "I'm locked out of my account and the 'forgot password' link just reloads the page",
            "My account says my email doesn't exist but I've had orders from you for years??",
        ),
        details=("The email on the account is an old one, I think. My last order was {order}.",),
        ask=("Thanks {first}. Could you tell me the postcode on the account and roughly when you last ordered? Then I can find it safely.",),
        reply_to_ask=("Last order was a couple of months ago, same postcode as always.",),
        answer=(
            "Found it, {first}. The account was under an older email; I've updated it and sent a fresh reset link to your current one.",
            "I've unlocked the account. The reset email may land in spam, so it's worth a look there.",
        ),
        thanks=("In! Thank you", "Got it, was in spam 🙈 thanks"),
    ),
    Scenario(
        key="exchange", kind="request", team="returns", severity=0, weight=2, flow=PRIVATE, tags=("returns", "exchange"),
        opening=(
            "Hi, can I swap my {product} for a size up or do I have to return and reorder?",
            "Hiya, is there an exchange option? The {product} is too small but I love it",
        ),
        details=("It's order {order}. Size {size} in {colour}, want the next size up please.",),
        answer=(
            "Good news, {first}: I've set up an exchange. Your new size ships today and the label for the original is in your email.",
            "We're out of the next size up at the moment, so I've set up a refund instead and added a restock alert for you.",
        ),
    ),
    Scenario(
        key="public-details", kind="request", team="delivery", severity=2, weight=3, tags=("delivery",),
        traits=("pii",),
        opening=(
            "Still no parcel. Order {order}, email {email}, phone {phone}. Please just ring me, I'm home all day.",
            "Can someone call me about my order? {phone}. Order number {order}. This is the third time I've asked.",
            "My email is {email} and my order is {order}. Nobody has replied to a single email. Please check.",
        ),
        details=("Sorry, didn't think. Deleted it. Order is {order}.",),
        answer=("Thanks {first}. Your parcel was held at the depot; it's back out for delivery today.",),
        notes=(),
    ),
    Scenario(
        key="restock", kind="question", team="care", severity=0, weight=3, flow=PUBLIC,
        platforms=("x", "instagram", "facebook", "youtube"), tags=("stock",),
        opening=(
            "Will the {product} in {colour} be back in size {size}? I've been checking every day",
            "Any restock planned for the {product}? Sold out in literally hours",
            "Is the {colour} {product} coming back or is it gone for good? 😭",
        ),
        answer=(
            "Hi {first}! We're expecting more of the {product} in {colour} in about two weeks. Tap 'notify me' on the product page for an email alert.",
            "Hi {first}, that one has sold out for the season, sorry! The {colour} colourway is coming back in spring.",
        ),
        thanks=("Oooh thanks, alert set!", "Noted, thank you!"),
    ),
    Scenario(
        key="shipping-abroad", kind="question", team="care", severity=0, weight=2, flow=PUBLIC,
        platforms=("x", "instagram", "facebook"), tags=("shipping",),
        opening=(
            "Do you ship to {country}? And will I have to pay customs on top?",
            "Hi, is delivery to {country} possible? Can't see it at checkout",
        ),
        answer=(
            "Hi {first}! Yes, we ship to {country}. Duties are included in the price at checkout, so nothing extra on arrival.",
            "Hi {first}, we don't ship to {country} yet, sorry! It's on our list for next year.",
        ),
    ),
    Scenario(
        key="fabric-care", kind="question", team="care", severity=0, weight=2, flow=PUBLIC, paired=True,
        platforms=("instagram", "facebook", "youtube", "x"), tags=("product-question",),
        opening=(
            "Is the {garment} machine washable or dry clean only?",
            "What's the {garment} made of? Is it itchy?",
            "How does the {garment} fit? I'm between a {size} and the next size up",
        ),
        answer=(
            "Hi {first}! The {garment} is fine on a 30° gentle wash; dry flat to keep its shape.",
            "Hi {first}, it's a soft cotton blend, not itchy at all. It's true to size, so go with your usual.",
            "It's a relaxed fit, {first}, so most people size down if they're between sizes.",
        ),
    ),
    Scenario(
        key="video-question", kind="question", team="care", severity=0, weight=3, flow=PUBLIC, platforms=("youtube",),
        paired=True,
        tags=("product-question",),
        opening=(
            "What are the boots at 2:14?? Need them",
            "Where is the coat from at the start of the video? Can't find it on the site",
            "Love this! Is the knit in the second outfit still available?",
            "Would've loved to see these on more than one body type tbh",
        ),
        answer=(
            "Hi {first}! Those are our leather ankle boots in black; they're on the site now 🖤",
            "Hi {first}! That's the wool blend coat in camel; it's linked in the description.",
            "It is, {first}! The chunky rib cardigan is back in oat and charcoal this week.",
            "Thanks for the feedback, {first}. We're planning more styling videos with a wider range of sizes.",
        ),
    ),
    Scenario(
        key="student-discount", kind="question", team="care", severity=0, weight=1, flow=PUBLIC, tags=("promo",),
        opening=("Do you do student discount?", "Is there a discount for NHS staff or students?"),
        answer=("Hi {first}! Yes, students get 10% with a verified student email. The link is in our site footer.",),
    ),
    Scenario(
        key="praise", kind="praise", team="social", severity=0, weight=4, flow=SIMPLE,
        platforms=("instagram", "x", "facebook", "youtube"), tags=("praise",),
        opening=(
            "Obsessed with my new {product} 😍 fits like a dream",
            "Shout out to the staff at the {city} store who helped me find an outfit for my interview. I got the job!",
            "Ordered at 10pm, arrived the next morning. Who are you and what have you done with every other shop",
            "Returns were so easy. Refund in 2 days. This is how it should be.",
            "Wearing my {colour} {product} to death. Best thing I've bought this year",
            "Hats off to {agent} on your chat, sorted my exchange in five minutes flat 👏",
        ),
    ),
    Scenario(
        key="feedback", kind="feedback", team="social", severity=1, weight=2, flow=PUBLIC,
        platforms=("instagram", "facebook", "x", "youtube"), tags=("feedback",),
        opening=(
            "Any chance of a petite range? Everything is too long on me",
            "Please use less plastic in the packaging. Every item in its own bag is a bit much",
            "Would love it if your models weren't all the same size. Hard to picture things on me",
            "The new app is nice but you can't filter by size anymore, please bring that back",
        ),
        notes=("Logged in the feedback tracker for the product team.",),
    ),
    Scenario(
        key="wrong-size-es", kind="request", team="returns", severity=1, weight=0.5, flow=PRIVATE, language="es",
        tags=("returns",), traits=("non_english",), platforms=("instagram", "facebook"),
        opening=(
            "Hola, pedí un {product} en talla {size} y me queda muy pequeño. ¿Puedo cambiarlo por una talla más?",
            "Buenas tardes. Mi pedido llegó con el color equivocado. ¿Cómo hago la devolución?",
        ),
        details=("El número de pedido es {order}. Gracias.",),
        answer=(
            "¡Hola {first}! Ya está preparado el cambio: la nueva talla sale hoy y te hemos enviado la etiqueta de devolución por email.",
        ),
        thanks=("¡Muchas gracias! 😊",),
    ),
    Scenario(
        key="delivery-fr", kind="question", team="delivery", severity=1, weight=0.5, flow=PUBLIC, language="fr",
        tags=("shipping",), traits=("non_english",), platforms=("instagram", "x", "facebook"),
        opening=(
            "Bonjour, vous livrez en France ? Et combien de temps ça prend en général ?",
            "Bonjour, ma commande n'est toujours pas arrivée après dix jours. C'est normal ?",
        ),
        answer=(
            "Bonjour {first} ! Oui, nous livrons en France en 4 à 6 jours ouvrés. Pour le suivi, envoyez-nous un message privé.",
        ),
    ),
)

CONTENT = Content(voice=VOICE, scenarios=SCENARIOS, slots=SLOTS, media=MEDIA)
