"""Countries as ISO 3166-1 alpha-2 codes, from a code or the names a client sends ("USA", "Germany")."""
import pycountry

# Common names that ISO 3166 spells otherwise.
_ALIASES = {"UK": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB",
            "NORTHERN IRELAND": "GB", "RUSSIA": "RU", "SOUTH KOREA": "KR", "NORTH KOREA": "KP", "IRAN": "IR",
            "SYRIA": "SY", "VIETNAM": "VN", "LAOS": "LA", "BOLIVIA": "BO", "VENEZUELA": "VE", "TANZANIA": "TZ",
            "MOLDOVA": "MD", "TAIWAN": "TW", "CZECH REPUBLIC": "CZ", "TURKEY": "TR"}


def country_code(value):
    """The alpha-2 code of a country given by alpha-2, alpha-3 or name (any case), or None when unknown."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.upper() in _ALIASES:
        return _ALIASES[text.upper()]
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None
