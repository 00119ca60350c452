"""Private data a customer posted (pure; no Django).

Finds e-mail addresses, phone numbers, order and account numbers, postal
addresses and payment card numbers (Luhn-checked), with their spans in the
text, so an agent can ask the customer to remove them from a public post and
the composer never repeats them. Phone numbers are checked with
`phonenumbers` (Google's libphonenumber rules) when it is installed; without
it a stricter pattern is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:  # phonenumberslite: the parsing rules without the geocoding data
    import phonenumbers
except ImportError:  # pragma: no cover - declared as a dependency
    phonenumbers = None

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b")
CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_DIGIT = re.compile(r"\d")
_DIGITS7 = re.compile(r"(?:\d\D{0,2}){7}")
PHONE_FALLBACK = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{3,4}[ .-]?\d{3,4}(?:[ .-]?\d{2,4})?(?!\w)")
ORDER = re.compile(
    r"\b(?:order|ord|tracking|track(?:ing)? (?:no|number|#)|confirmation|booking|reservation|ref(?:erence)?|"
    r"pnr|invoice|ticket|case|parcel|shipment|awb)\b(?:\s*(?:no\.?|number|num|id|code|#|:|is|was))*\s*#?\s*"
    r"(?P<value>[A-Za-z0-9][A-Za-z0-9-]{4,29})",
    re.IGNORECASE,
)
AMAZON_ORDER = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")
ACCOUNT = re.compile(
    r"\b(?:account|acct|a/c|membership|member|customer|client|policy|iban|sort code|routing|user ?id)\b"
    r"(?:\s*(?:no\.?|number|num|id|#|:|is))*\s*#?\s*(?P<value>[A-Za-z0-9][A-Za-z0-9 -]{4,33}[0-9])",
    re.IGNORECASE,
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'.-]*\s+){1,4}"
    r"(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|close|"
    r"crescent|terrace|highway|hwy|square|sq|parkway|pkwy)\b\.?",
    re.IGNORECASE,
)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
US_STATE_ZIP = re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+\d{5}(?:-\d{4})?\b")


# A reference named by two words ("booking reference is XK4T92"), and
# a number right after a word that says it is a phone number (any country's format).
REFERENCE = re.compile(
    r"\b(?:booking|order|reservation|confirmation|tracking|ticket|case|claim|shipment|parcel)\s+"
    r"(?:reference|ref|number|no\.?|code|id)\b\s*(?:is|was|:|#)?\s*#?\s*(?P<value>[A-Za-z0-9][A-Za-z0-9-]{4,24})\b",
    re.IGNORECASE,
)
SPACED_REFERENCE = re.compile(
    r"\b(?:order|tracking|shipment|parcel|waybill|consignment|AWB|booking|reference|account|case|ticket)\b"
    r"(?:\s+(?:number|no\.?|#|ref|reference|code|id|AWB))*\s*[:#]?\s*(?P<value>\d{3,6}(?:[ -]\d{3,6}){1,4})",
    re.IGNORECASE,
)
PHONE_CONTEXT = re.compile(
    r"\b(?:call(?:ed)?|ring|rang|phone|mobile|cell|tel|telephone|text|texted|whatsapp|voicemail|landline)\b"
    r"[^\d\n@]{0,20}?(?P<value>\+?\(?\d[\d ().-]{6,18}\d\)?)",
    re.IGNORECASE,
)


# Street addresses written the continental way ("9 Rue de la Paix", "Hauptstraße 12").
CONTINENTAL_STREET = re.compile(
    r"\b\d{1,5},?\s+(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|quai|via|viale|piazza|corso|calle|avenida|"
    r"carrer|paseo|rua|travessa|ulica|ul\.)\s+(?:(?:de|du|des|la|le|del|della|di|dos|da)\s+){0,2}[A-ZÀ-Ý][\w'’-]+"
    r"|\b[A-ZÀ-Ý][\w-]*(?:straße|strasse|weg|platz|allee|gasse|laan|straat|gracht|vej|gatan|gata)\s+\d{1,4}[a-z]?\b",
)


def _extra(clean: str) -> list[tuple[int, int, str]]:
    """References named by two words, spaced reference numbers, numbers after a phone word, and
    continental street forms (found after the patterns above, so those win an overlap)."""
    out = []
    for m in CONTINENTAL_STREET.finditer(clean):
        out.append((m.start(), m.end(), "address"))
    for m in REFERENCE.finditer(clean):
        if sum(ch.isdigit() for ch in m.group("value")) >= 2:
            out.append((m.start("value"), m.end("value"), "order_number"))
    for m in SPACED_REFERENCE.finditer(clean):
        if sum(ch.isdigit() for ch in m.group("value")) >= 8:
            out.append((m.start("value"), m.end("value"), "order_number"))
    for m in PHONE_CONTEXT.finditer(clean):
        digits = sum(ch.isdigit() for ch in m.group("value"))
        if 8 <= digits <= 15:
            out.append((m.start("value"), m.end("value"), "phone"))
    return out


# Links are read without their path: article ids and archive dates are not private data.
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _overlaps(found: list[Found], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in found)


def _phones(text: str, region: str) -> list[tuple[int, int]]:
    if phonenumbers is not None:
        return [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, region)]
    return [(m.start(), m.end()) for m in PHONE_FALLBACK.finditer(text)]


def find(text: str, region: str = "US") -> list[Found]:
    """Every piece of private data in `text`, in order of position (links are skipped)."""
    if "/" in text or "www" in text.lower():
        text = _LINK.sub(lambda m: " " * len(m.group()), text)
    found: list[Found] = []

    def add(kind: str, start: int, end: int) -> None:
        if not _overlaps(found, start, end):
            found.append(Found(kind, start, end))

    if "@" in text:
        for m in EMAIL.finditer(text):
            add("email", m.start(), m.end())
    has_digits = _DIGIT.search(text) is not None
    if has_digits:
        for m in CARD.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1:
                add("card", m.start(), m.end())
        for m in IBAN.finditer(text):
            add("account_number", m.start(), m.end())
        for m in AMAZON_ORDER.finditer(text):
            add("order_number", m.start(), m.end())
        for m in ORDER.finditer(text):
            value = m.group("value")
            digits = sum(ch.isdigit() for ch in value)
            if digits >= 4 or (digits >= 2 and len(value) >= 6 and value.upper() == value):
                add("order_number", m.start("value"), m.end("value"))
        for m in ACCOUNT.finditer(text):
            value = m.group("value").rstrip()
            if sum(ch.isdigit() for ch in value) >= 5:
                add("account_number", m.start("value"), m.start("value") + len(value))
        for m in STREET.finditer(text):
            add("address", m.start(), m.end())
        for m in US_STATE_ZIP.finditer(text):
            add("address", m.start(), m.end())
        if _DIGITS7.search(text):
            for start, end in _phones(text, region):
                add("phone", start, end)
    for m in UK_POSTCODE.finditer(text):
        add("address", m.start(), m.end())
    if has_digits:
        for start, end, kind in _extra(text):
            add(kind, start, end)
    return sorted(found, key=lambda f: f.start)


def kinds(found: list[Found]) -> list[str]:
    seen: list[str] = []
    for f in found:
        if f.kind not in seen:
            seen.append(f.kind)
    return seen
