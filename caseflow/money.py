"""Amounts in Canadian dollars, read and written the Québec French way (12 500,50 $)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# No social-economy project here comes near this: a larger number is a typing mistake.
MAXIMUM = Decimal("100000000")
SPACES = re.compile(r"[\s\u00a0\u202f]")
AMOUNT = re.compile(r"\d+(\.\d{1,2})?")


class AmountError(ValueError):
    """The text is not an amount a person could mean."""


def parse_amount(text: str) -> Decimal:
    """Return the amount a person typed: `12 500,50 $`, `12500.50`, `12,500.50`."""
    cleaned = SPACES.sub("", (text or "")).removesuffix("$").removeprefix("$")
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one; the other groups thousands.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not AMOUNT.fullmatch(cleaned):
        raise AmountError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AmountError(text) from None
    if value > MAXIMUM:
        raise AmountError(text)
    return value.quantize(Decimal("0.01"))


def format_amount(value: Decimal | None, cents: bool | None = None) -> str:
    """Write an amount as Québec French does: `94 115 $`, `65 560,28 $`.

    Cents are shown when there are some, unless `cents` says otherwise.
    """
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    show_cents = cents if cents is not None else value != value.to_integral_value()
    whole, _, fraction = f"{value:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    text = sign + "\u00a0".join(groups or ["0"])
    if show_cents:
        text += "," + fraction
    return text + "\u00a0$"
