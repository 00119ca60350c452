"""Tidewire, an invented mobile and broadband provider: its voice and its customers' matters."""

from __future__ import annotations

from .model import HANDOFF, PRIVATE, PUBLIC, SIMPLE, Content, Scenario, Voice

VOICE = Voice(
    signature="initials",
    ack_dm=(
        "Hi {first}, sorry to hear that. Please send us a DM with your account number and postcode and we'll check your line.",
        "That's not good, {first}. Can you DM us so we can look at your account? We'll take it from there.",
        "Thanks for getting in touch, {first}. Please pop us a DM with the account holder's name and we'll dig into this.",
        "Hi {first}, I'd like to help with this. Could you drop us a DM? Please don't post account details publicly.",
    ),
    ack_pii=(
        "Hi {first}, we'll help with this. Please delete your post as it includes personal details, and send them to us by DM instead.",
        "Hi {first}, for your security please remove that post; it shows your account and contact details. Our DMs are open.",
    ),
    ack_public=(
        "Hi {first}, sorry about this. Let me look into it and I'll come back to you here.",
        "Thanks {first}. I'm checking this now.",
    ),
    ask=(
        "Thanks {first}. Could you confirm the account holder's full name and the first line of the address, please?",
        "Could you send me the account number and a good time to call you?",
    ),
    internal=(
        "Thanks {first}. I've raised this with the team that handles it, reference TW-{d6}. I'll update you by 6pm tomorrow.",
        "I've booked a line test with our network team. It runs overnight; I'll message you with the result in the morning.",
        "I've escalated this to a specialist. I'll come back to you as soon as they respond, {first}.",
    ),
    chase_sorry=(
        "Sorry for the delay, {first}. We've had a busy few hours. I'm looking at this now.",
        "Apologies for the wait, {first}. Thanks for bearing with us.",
    ),
    welcome=(
        "You're welcome, {first}. Any more problems, just give us a shout.",
        "Glad that's sorted, {first}. Take care.",
        "No problem at all. Thanks for your patience, {first}.",
    ),
    close_loop=(
        "Update for anyone following: we've sorted this with {first} by DM. Thanks for bearing with us.",
        "Hi {first}, just confirming here that we've got this sorted in DM. Thanks for your patience.",
    ),
    troll=(
        "We're here if you need help with your service.",
        "If something's not working, send us a DM and we'll take a look.",
    ),
    praise=(
        "Thanks so much, {first}! We'll pass this on to the team.",
        "Great to hear, {first}! Thanks for sharing.",
        "That's brilliant, {first}. I'll make sure the engineer hears about this.",
    ),
    feedback=(
        "Thanks for the feedback, {first}. I've passed it on to the right team.",
        "Appreciate you taking the time, {first}. Logged for our product team.",
    ),
    youtube_redirect=(
        "Hi {first}, sorry to hear this. We can't access accounts in comments, so please DM us on X @TidewireCare or Facebook and we'll check your line.",
    ),
)

SLOTS = {
    "product": ("Tidewire Hub 4", "Unlimited 5G plan", "Full Fibre 900", "Mesh Booster", "SIM only deal"),
    "plan": ("Unlimited 5G", "Flex 30GB", "Fibre 150", "Fibre 500", "Full Fibre 900", "SIM only 12GB"),
    "router": ("Tidewire Hub 3", "Tidewire Hub 4", "the Mesh Booster"),
    "area": ("Salford", "Leith", "Roath", "Headingley", "Clifton", "Jesmond", "Kings Heath", "Didsbury", "Southsea"),
    "order": ("TW-{d4}-{d4}",),
    "amount": ("£18.50", "£34.99", "£47.00", "£62.40", "£96.15", "£128.00", "£212.63"),
    "speed": ("2Mb", "6Mb", "11Mb", "0.8Mb", "15Mb"),
    "device": ("Pixel 8", "iPhone 15", "Galaxy S24", "iPhone 12", "Galaxy A54"),
    "country": ("Spain", "Turkey", "the US", "Switzerland", "Egypt"),
    "weeks": ("two", "three", "five"),
}

MEDIA = (
    ("youtube", "Setting up your Tidewire Hub 4 in 5 minutes"),
    ("youtube", "Full Fibre explained"),
    ("youtube", "How to move your number to Tidewire"),
    ("facebook", "Full Fibre now live in more areas"),
    ("instagram", "Meet the engineers keeping you connected"),
)

INCIDENT = Scenario(
    key="outage", kind="complaint", team="technical", severity=3, weight=0, flow=PUBLIC,
    platforms=("x", "x", "x", "facebook", "instagram"), tags=("outage", "broadband"),
    opening=(
        "Is Tidewire down in {area}? No internet for the last hour",
        "Broadband completely dead. Anyone else in {area}?",
        "Internet just dropped and the hub is flashing red. Outage?",
        "No broadband AGAIN. Working from home tomorrow so this had better be fixed",
        "Is there a problem with Tidewire right now? Nothing is loading",
        "Wifi's gone, TV's gone, kids are climbing the walls. Please tell me it's you and not me",
        "Service status page says everything is fine. It is not fine.",
        "Day ruined. No internet in {area} since 7",
    ),
    ack=(
        "Hi {first}, we're aware of a fault affecting broadband in parts of {area} and nearby. Engineers are working on it; next update by 10pm.",
        "Sorry {first}, there's a known fault in the {area} area. Our engineers are on site. No need to restart your hub; we'll update here.",
    ),
    internal=(
        "Thanks {first}. You're linked to the incident in {area}; I'll message you once engineers confirm the fix.",
    ),
    answer=(
        "Good news, {first}: engineers have fixed the fault and services in {area} are coming back. A hub restart may help if you're still offline.",
    ),
    thanks=("Back up here, thanks", "Yep working now. Ta"),
    crowd=(
        "Same in {area}",
        "Down here too, two streets over",
        "+1 no internet",
        "Mine's dropping in and out as well",
        "Third time this month 🙄",
        "Any ETA?? I've got a deadline",
    ),
    notes=(
        "Linked to network incident INC-{d5} ({area}).",
        "Part of the {area} outage. Tagged for the incident review.",
    ),
    outcomes=(("untouched", 3), ("pending_internal", 5), ("open", 1), ("resolved", 2)),
)

SCENARIOS = (
    Scenario(
        key="broadband-down", kind="complaint", team="technical", severity=3, weight=5, tags=("broadband", "no-service"),
        opening=(
            "No internet since this morning and I work from home. Restarted the hub four times.",
            "Broadband keeps dropping every 20 minutes. Unusable for video calls",
            "Hub has been flashing orange all day. No internet. Help?",
            "Paying for {plan} and I've had no connection since yesterday",
        ),
        more=("And no, I don't want to turn it off and on again. Done that.",),
        details=("Account {order}. The hub shows a red light on the broadband symbol.",),
        ask=("Thanks {first}. Could you send me a photo of the lights on the front of your hub?",),
        reply_to_ask=("Power is green, broadband light is flashing red.", "Solid orange on the internet light."),
        internal=VOICE.internal[1:2],
        answer=(
            "The line test found a fault at the cabinet, {first}. An engineer fixed it this morning; you should be back online.",
            "I've reset your line from our side and it's now syncing at full speed. Can you check for me?",
            "I've booked an engineer for Thursday between 8am and 1pm and added a credit for the days without service.",
        ),
        thanks=("Back online! Thanks", "That's done it. Cheers"),
        comeback=("Dropped again this evening. Same red light.",),
    ),
    Scenario(
        key="slow-speeds", kind="complaint", team="technical", severity=2, weight=4, tags=("broadband", "speed"),
        opening=(
            "Paying for {plan} and getting {speed}. Every evening. Why?",
            "Speed test says {speed} download. That's not broadband, that's a dial-up tribute act",
            "Evening speeds are shocking. Buffering on everything from 7pm onwards",
        ),
        crowd=(
            "Same in my area, evenings are awful",
            "Mine's been like this for weeks",
            "Don't bother, they'll tell you to restart the hub",
            "I switched last year, best decision",
        ),
        ask=("Can you run a speed test at tidewire.example/speed with a cable plugged in and send me the result?",),
        reply_to_ask=("Plugged in: {speed} down. On wifi even worse.",),
        internal=VOICE.internal[1:2],
        answer=(
            "Thanks {first}. We found congestion at your local exchange; capacity was added overnight and your speeds should be back to normal.",
            "Your hub was on old firmware. I've pushed an update and re-profiled the line; speeds should recover over the next 24 hours.",
        ),
    ),
    Scenario(
        key="no-signal", kind="complaint", team="technical", severity=2, weight=3, tags=("mobile", "signal"),
        opening=(
            "No mobile signal at home since last week. Can't even make calls.",
            "My {device} keeps saying 'No service' in the middle of town. What's happening?",
            "Signal has been rubbish in {area} for days now",
        ),
        details=("Postcode is in {area}. It's been like this for about 8 days on my {device}.",),
        internal=("I've checked the mast status: there's planned work nearby. I've asked our network team for a finish date and will update you.",),
        answer=(
            "The mast work near you finished this afternoon, {first}, so your signal should be back to normal. Wifi calling is on for your account too.",
        ),
    ),
    Scenario(
        key="bill-shock", kind="complaint", team="billing", severity=3, weight=4, tags=("billing",),
        opening=(
            "My bill has just gone up to {amount}. Nobody told me. What is this?",
            "Why is this month's bill nearly double the usual?",
            "Got charged {amount} for 'additional services' I never asked for",
        ),
        details=("Account {order}. Usually pay around £35, this month it's {amount}.",),
        internal=("I can see some charges I'd like our billing team to check. I've sent them over and will update you tomorrow.",),
        answer=(
            "You were charged for a premium number service by mistake, {first}. I've removed it and credited {amount} back to your account.",
            "Your discount expired last month, which is why the bill went up. I've applied our loyalty offer, which brings it down to £38.",
        ),
        thanks=("Ok that's better, thank you",),
        crowd=("They did the same to me last month", "Check for 'additional services', they slipped that onto mine too"),
    ),
    Scenario(
        key="roaming", kind="complaint", team="billing", severity=3, weight=2, tags=("billing", "roaming"),
        opening=(
            "Got back from {country} to a roaming bill of {amount}. Your app said it was included!",
            "Charged {amount} for data in {country}. I had roaming switched off!",
        ),
        details=("Account {order}. I was in {country} for a week, roaming add-on was bought before I went.",),
        internal=VOICE.internal[:1],
        answer=("The add-on didn't attach to your account because of a fault on our side. I've refunded the {amount} in full, {first}.",),
    ),
    Scenario(
        key="charged-after-cancel", kind="complaint", team="billing", severity=3, weight=2, tags=("billing", "cancellation"),
        opening=(
            "Cancelled with you {weeks} months ago and you're still taking direct debits. Stop.",
            "Why am I still paying you? I left in the summer.",
        ),
        details=("Old account {order}. I have the cancellation confirmation email.",),
        answer=("You're right, {first}. The cancellation wasn't applied properly. I've stopped the debit and refunded every payment since you left.",),
        notes=("Cancellation not applied. Refund of payments since leaving approved by team lead.",),
    ),
    Scenario(
        key="engineer-no-show", kind="complaint", team="technical", severity=3, weight=3, tags=("engineer",),
        opening=(
            "Took a day off work for your engineer. 8 to 1 slot. Nobody came. No call, no text.",
            "Engineer was meant to come today. It's 6pm. Nothing. Second time.",
        ),
        details=("Account {order}. Appointment was today, am slot. I was in the whole time.",),
        internal=("I'm sorry, {first}. I've asked our field team what happened and to rebook at a time that suits you.",),
        answer=(
            "I've rebooked your engineer for Saturday morning, first appointment, and added compensation to your account for the missed visit.",
        ),
        thanks=("Ok. Saturday works. Thanks",),
    ),
    Scenario(
        key="install-delay", kind="complaint", team="technical", severity=2, weight=2, tags=("install",),
        opening=(
            "Moved house {weeks} weeks ago and still no broadband. How long does it take to switch a line on?",
            "Install date keeps moving. Now it's another fortnight. I need internet for work.",
        ),
        details=("Account {order}. Moved in on the 1st, install has been moved twice.",),
        internal=VOICE.internal[2:],
        answer=("Your install is confirmed for Tuesday, and I've sent you a free mobile data boost until then.",),
    ),
    Scenario(
        key="leaving", kind="complaint", team="billing", severity=4, weight=2, tags=("churn", "retention"),
        opening=(
            "That's it. Out of contract next month and I'm leaving. Three outages in a month is not acceptable.",
            "How do I get my PAC code? I'm done with Tidewire.",
            "Ten years a customer and new customers get a better price than me. Time to leave.",
        ),
        details=("Account {order}. Contract ends next month.",),
        answer=(
            "I understand, {first}. I've texted your PAC code; it's valid for 30 days. If you'd like to stay, I can offer a lower price on your current plan.",
            "I've applied a loyalty price that matches our new customer offer. If you still want to leave, your PAC is ready whenever you are.",
        ),
        notes=("Retention offer made. Customer considering.",),
    ),
    Scenario(
        key="ombudsman", kind="complaint", team="billing", severity=4, weight=1, tags=("complaint", "legal"),
        opening=(
            "I've had no resolution in eight weeks. I'm taking this to the ombudsman and I'll be telling everyone why.",
            "Formal complaint. If this isn't resolved by Friday my solicitor will be in touch.",
        ),
        details=("Account {order}. Complaint raised eight weeks ago, reference in my emails.",),
        internal=("I've escalated your complaint to our complaints team lead, who will call you tomorrow. I've added your notes to the case.",),
        answer=("Our complaints team lead has agreed a full credit of {amount} and a written apology, {first}.",),
        notes=("Mentions ombudsman and solicitor. Complaints team lead owns this now.",),
    ),
    Scenario(
        key="vulnerable-line", kind="complaint", team="technical", severity=4, weight=1, tags=("vulnerable", "landline"),
        opening=(
            "My dad's landline has been dead for two days. He's 84 and relies on a personal alarm that uses the line. Please help.",
            "Elderly neighbour's phone line is out and her care alarm can't dial out. Who do I speak to urgently?",
        ),
        ack=("That's urgent, {first}. Please DM us the account holder's name and address now and we'll prioritise an engineer.",),
        details=("It's under his name, account {order}. Address is in {area}.",),
        internal=("I've flagged this as a priority fault for a vulnerable customer. An engineer is booked for first thing tomorrow.",),
        answer=("The engineer has restored the line and tested the alarm, {first}. We've added your dad to our priority support register.",),
        notes=("Vulnerable customer: personal alarm depends on the line. Priority fault raised.",),
    ),
    Scenario(
        key="sim-swap", kind="complaint", team="care", severity=4, weight=1, tags=("fraud", "security"),
        opening=(
            "My phone suddenly has no service and my bank just texted about a new device. Has someone taken my number??",
            "Someone moved my number to a new SIM without my permission. I didn't request this. URGENT",
        ),
        ack=("Please DM us right away, {first}, and we'll lock your account. Don't share any codes with anyone.",),
        details=("Number ends 4471. No service since 3pm. My bank has frozen my card.",),
        internal=("I've locked the account and blocked the new SIM. Our fraud team will call you within the hour on an alternative number.",),
        answer=("Your number is back on your own SIM and the account has a new security password. Our fraud team have the case, {first}.",),
        notes=("Suspected SIM swap fraud. Account locked; fraud team informed. Do not discuss details in public.",),
    ),
    Scenario(
        key="hub-setup", kind="question", team="technical", severity=0, weight=3, flow=PUBLIC,
        platforms=("youtube", "x", "facebook"), tags=("setup",), paired=True,
        opening=(
            "How do I change the wifi name on the {router}?",
            "Followed the video but the {router} light is still blue. What does blue mean?",
            "Can I use my own router instead of the {router}?",
            "Does the Mesh Booster work with the old Hub 3?",
        ),
        answer=(
            "Hi {first}! You can change the wifi name in the Tidewire app under Hub settings, or at 192.168.1.254.",
            "Blue means the hub is starting up, {first}; it can take ten minutes after an update. If it stays blue, send us a DM.",
            "Yes, {first}, you can use your own router. You'll need the connection settings from the help page.",
            "It does, {first}. Pair it with the WPS button on the Hub 3 and it'll join the same network.",
        ),
    ),
    Scenario(
        key="port-number", kind="request", team="care", severity=0, weight=2, flow=PRIVATE, tags=("mobile", "port"),
        opening=(
            "Hi, I'm joining from another network. How do I bring my number across?",
            "Can I get an eSIM instead of a physical SIM?",
        ),
        details=("My new account is {order}. I've got the PAC from my old provider.",),
        answer=(
            "Perfect, {first}. I've booked your number transfer for tomorrow; you'll have a short break in service in the morning.",
            "Yes! I've sent an eSIM QR code to the email on your account. Scan it from your phone's settings.",
        ),
    ),
    Scenario(
        key="upgrade", kind="question", team="care", severity=0, weight=2, flow=PUBLIC, tags=("sales",), paired=True,
        platforms=("x", "facebook", "instagram"),
        opening=(
            "When am I eligible to upgrade? The app doesn't say",
            "Is Full Fibre available on my street yet? It says 'coming soon' forever",
        ),
        answer=(
            "Hi {first}! You can see your upgrade date in the app under 'My plan'. DM us if it's not showing.",
            "Hi {first}, you can check your postcode at tidewire.example/fibre. If it still says 'coming soon', work is planned nearby.",
        ),
    ),
    Scenario(
        key="app-login", kind="request", team="care", severity=2, weight=2, tags=("account", "app"),
        opening=(
            "App keeps logging me out and now says my account is locked",
            "Can't get into My Tidewire. The verification text never arrives.",
        ),
        details=("Account {order}. My number is the one on the account.",),
        answer=("I've unlocked your account, {first}, and sent a new verification code. Let me know if it comes through.",),
        thanks=("Got it this time, thanks",),
    ),
    Scenario(
        key="public-account", kind="request", team="billing", severity=2, weight=3, tags=("billing",), traits=("pii",),
        opening=(
            "Account number {order}, phone {phone}. Please call me about my bill. Nobody answers the phone line.",
            "I've been trying to reach billing for a week. Email {email}, account {order}. Somebody contact me.",
            "My address is 27 Mill Road, {area} and I've had three letters saying I owe money on an account I closed. Account {order}.",
        ),
        details=("Sorry, should have DMed. Account {order}.",),
        answer=("Thanks {first}. I've checked the account and there's nothing owing; the letters were sent in error and I've stopped them.",),
    ),
    Scenario(
        key="data-usage", kind="request", team="care", severity=2, weight=2, flow=PRIVATE, tags=("mobile", "data"),
        opening=(
            "Hi, my data has run out in three days. I've barely used my phone. Can you check?",
            "App says I've used 20GB since Monday. That's impossible.",
        ),
        details=("Account {order}. On the {plan} plan, {device}.",),
        answer=(
            "I've looked at your usage, {first}: most of it was a cloud photo backup over mobile data. I've added 10GB free this month and sent steps to stop it.",
        ),
    ),
    Scenario(
        key="praise", kind="praise", team="social", severity=0, weight=3, flow=SIMPLE,
        platforms=("x", "facebook", "instagram", "youtube"), tags=("praise",),
        opening=(
            "Huge thanks to the engineer who came out today. Explained everything and even tidied the cables 👏",
            "Switched to Full Fibre and it's night and day. Whole family online and not a single buffer",
            "Credit where it's due, your chat team sorted my bill in ten minutes",
            "First time I've been able to watch a match without buffering. Cheers Tidewire",
        ),
    ),
    Scenario(
        key="feedback", kind="feedback", team="social", severity=1, weight=2, flow=PUBLIC,
        platforms=("x", "facebook", "instagram", "youtube"), tags=("feedback",),
        opening=(
            "Please let us pick a preferred time for engineer visits instead of an all-morning slot",
            "Your app needs a dark mode. Checking my usage at night blinds me",
            "Would be good if the status page actually showed local faults",
        ),
    ),
    Scenario(
        key="no-internet-pl", kind="complaint", team="technical", severity=2, weight=0.5, flow=HANDOFF, language="pl",
        tags=("broadband",), traits=("non_english",), platforms=("x", "facebook"),
        opening=("Dzień dobry, od wczoraj nie mam internetu. Router świeci na czerwono. Co mam zrobić?",),
        ack=("Dzień dobry {first}, przepraszamy za kłopot. Proszę napisać do nas w wiadomości prywatnej, sprawdzimy linię.",),
        details=("Numer konta {order}. Dziękuję.",),
        answer=("Usterka została naprawiona, {first}. Internet powinien już działać. Dziękujemy za cierpliwość.",),
    ),
    Scenario(
        key="bill-pt", kind="question", team="billing", severity=1, weight=0.5, flow=PUBLIC, language="pt",
        tags=("billing",), traits=("non_english",), platforms=("facebook", "instagram"),
        opening=("Olá, a minha fatura deste mês veio mais alta. Podem explicar porquê?",),
        answer=("Olá {first}! Envie-nos uma mensagem privada com o número da conta e verificamos a fatura consigo.",),
    ),
)

CONTENT = Content(
    voice=VOICE, scenarios=SCENARIOS + (INCIDENT,), slots=SLOTS, media=MEDIA,
    incidents=(("outage", 30, 3.5, 2.5),),
)
