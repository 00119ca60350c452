"""Which language a post is written in (pure; no Django, no model files).

Triage models are trained on English. A post in another language is marked
with its ISO 639-1 code and `covered=False` rather than scored by models that
would only guess. Detection is deliberately conservative, since a wrong
"not English" costs an English post its triage:

- a text mostly in a non-Latin script is named by its script (Cyrillic ->
  ru or uk, Arabic -> ar, fa or ur, Han -> zh, kana -> ja, Hangul -> ko, ...);
- a Latin-script text is compared against short lists of function words
  and letters particular to common languages; English is assumed unless
  another language clearly outscores it;
- a text with no letters (emoji, numbers) has no language (`None`) and is
  triaged as it is.

We evaluated lingua-language-detector: it is accurate on sentences but took
~1 ms a post in its fastest mode, is 96 MB installed, and named short English
posts ("ok thanks") as Afrikaans or Danish; this heuristic is microseconds a
post and errs toward English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COVERED = frozenset({"en"})

_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_OTHER_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")
_TOKEN = re.compile(r"[a-z\u00C0-\u024F']+")

# (first code point, last code point, language) for scripts that name one language
# well enough for routing; Cyrillic and Arabic get a second look below.
_SCRIPTS = [
    (0x0370, 0x03FF, "el"), (0x0400, 0x052F, "cyrl"), (0x0530, 0x058F, "hy"), (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arab"), (0x0750, 0x077F, "arab"), (0x0900, 0x097F, "hi"), (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"), (0x0A80, 0x0AFF, "gu"), (0x0B80, 0x0BFF, "ta"), (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"), (0x0D00, 0x0D7F, "ml"), (0x0D80, 0x0DFF, "si"), (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"), (0x10A0, 0x10FF, "ka"), (0x1100, 0x11FF, "ko"), (0x1200, 0x137F, "am"),
    (0x1780, 0x17FF, "km"), (0x3040, 0x30FF, "ja"), (0x3130, 0x318F, "ko"), (0x3400, 0x4DBF, "zh"),
    (0x4E00, 0x9FFF, "zh"), (0xAC00, 0xD7AF, "ko"), (0xF900, 0xFAFF, "zh"),
]

# Common function words of each language (English's list is the reference).
_WORDS = {
    "en": "the and is are was you your my i it to of in for on with this that not have has what why how "
          "can do does don't it's i'm we they be at me just but no so get got will please thanks order",
    "es": "el la los las de que y en un una es por para con no mi su pero muy como está gracias hola qué "
          "porque también pedido todavía ya nada",
    "fr": "le la les des est et un une je vous pas pour dans que qui ne avec mon ma mes sur au aux c'est "
          "j'ai bonjour merci très commande toujours",
    "de": "der die das und ist nicht ich sie es ein eine mit zu auf für den dem ist mein meine bitte danke "
          "noch kein wie aber auch bestellung",
    "pt": "o a os as de que e em um uma é não meu minha para com por mais muito obrigado olá pedido ainda "
          "você está",
    "it": "il lo la gli le di che e è un una non per con mio mia sono ma ancora grazie ciao ordine perché",
    "nl": "de het een en is niet ik je van op met voor dat maar nog mijn bestelling bedankt wel geen",
    "tr": "bir ve bu da de için ile ne çok değil ben sen siparişim hala teşekkürler merhaba neden",
    "id": "yang dan di ini itu tidak saya untuk dengan ada sudah belum tolong terima kasih pesanan",
    "pl": "i w nie na jest się że to z do jak ale moje zamówienie dziękuję jeszcze",
    "sv": "och är det att en som inte jag på för med har min tack hej beställning",
}
_LISTS = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _LISTS.items():
    for _word in _words:
        _LANGS_OF[_word] = _LANGS_OF.get(_word, ()) + (_lang,)
# Letters that belong to one language among those above.
_LETTERS = {"es": "ñ¿¡", "pt": "ãõ", "de": "ß", "tr": "ğış", "pl": "łąęźżść", "sv": "å", "fr": "œ"}


@dataclass(frozen=True)
class Language:
    code: str | None
    covered: bool

    @property
    def reason(self) -> str:
        return "" if self.covered else f"language {self.code!r} is not covered by the triage models"


def _script_language(text: str, letters: list[str]) -> str:
    counts: dict[str, int] = {}
    for ch in letters:
        cp = ord(ch)
        for lo, hi, lang in _SCRIPTS:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
                break
        else:
            counts["other"] = counts.get("other", 0) + 1
    lang = max(counts, key=counts.get)
    if lang == "cyrl":
        return "uk" if re.search("[іїєґІЇЄҐ]", text) else "ru"
    if lang == "arab":
        if re.search("[ےٹڈڑں]", text):
            return "ur"
        return "fa" if re.search("[پچژگی]", text) else "ar"
    if lang == "zh" and re.search("[\u3040-\u30FF]", text):
        return "ja"
    return "xx" if lang == "other" else lang


def detect(plain: str) -> Language:
    if plain.isascii():
        latin, others = (1 if _LATIN.search(plain) else 0), []
    else:
        latin, others = len(_LATIN.findall(plain)), _OTHER_LETTER.findall(plain)
    if not latin and not others:
        return Language(None, True)
    if len(others) > latin:
        code = _script_language(plain, others)
        return Language(code, code in COVERED)
    tokens = _TOKEN.findall(plain.lower())
    scores = dict.fromkeys(_LISTS, 0)
    for token in tokens:
        for hit in _LANGS_OF.get(token, ()):
            scores[hit] += 1
    lowered = plain.lower()
    for lang, letters in _LETTERS.items():
        if any(ch in lowered for ch in letters):
            scores[lang] += 2
    english = scores.pop("en")
    best = max(scores, key=scores.get)
    if scores[best] >= 2 and scores[best] > 2 * english:
        return Language(best, best in COVERED)
    return Language("en", True)
