"""Renders a message from its template files: a subject, a plain-text body and an HTML body.

Each message `name` has ``message_templates/<name>.txt`` (blocks ``subject``, ``body`` and
``next``) and ``<name>.html`` (blocks ``body`` and ``next``), which extend a layout per audience
(``_hirer.*``, ``_staff.*``). The layouts add what every message must carry whatever its wording:
for a hirer the booking (reference, room and venue, dates), what happens next and the private
status link; for staff the link to the case. A council's own wording (`Provider.message_templates`)
replaces only the subject and the ``body`` block, so it can never drop the link or the next steps.

HTML is autoescaped; the plain text is not (it is not HTML). Templates are files in the package,
never text an administrator typed: a council's wording is filled in by casework/messages.py with
plain ``{placeholders}`` only, and reaches these templates as a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, Template, TemplateNotFound, select_autoescape
from markupsafe import Markup, escape

from casework.message_language import ENGLISH, LANGUAGES, language_of, translations

HTML_LANG = {"en": "en", "cy": "cy"}

_URL = re.compile(r"https?://[^\s<>\"']+")
LINK_STYLE = "color:#1d70b8;text-decoration:underline;word-break:break-all;"
_LINK = Markup('<a href="{url}" style="{style}">{url}</a>')
_PARAGRAPH = Markup('<p style="margin:0 0 16px;">{body}</p>')


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def lines(value: object) -> list[str]:
    """A multi-line value as its non-empty lines (dates, conditions, digest items)."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def unbullet(value: object) -> str:
    """A list line without the "- " the plain text marks it with (HTML lists have their own)."""
    return re.sub(r"^\s*[-*\u2022]\s+", "", str(value or ""))


def linkify(value: object) -> Markup:
    """Escaped text whose web addresses are links (HTML bodies only)."""
    raw = str(value or "")
    out = Markup("")
    last = 0
    for match in _URL.finditer(raw):
        out += escape(raw[last : match.start()])
        out += _LINK.format(url=match.group(0), style=LINK_STYLE)
        last = match.end()
    return out + escape(raw[last:])


def paragraphs_html(text: str) -> Markup:
    """A council's plain wording as HTML paragraphs: blank lines part paragraphs, line breaks stay."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return Markup("").join(
        _PARAGRAPH.format(body=Markup("<br>").join(linkify(line) for line in p.splitlines())) for p in parts
    )


@lru_cache(maxsize=len(LANGUAGES))
def environment(language: str = ENGLISH) -> Environment:
    """The templates in `language`: the hirer templates' marked words come from casework's
    catalogue (casework/message_language.py); unmarked words (staff templates) stay English."""
    env = Environment(
        loader=PackageLoader("casework", "message_templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    # Whitespace inside {% trans %} is collapsed, as babel.cfg extracts it.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language_of(language)), newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    env.globals["html_lang"] = HTML_LANG[language_of(language)]
    env.filters["lines"] = lines
    env.filters["linkify"] = linkify
    env.filters["unbullet"] = unbullet
    return env


def has_templates(name: str) -> bool:
    try:
        _pair(name)
    except TemplateNotFound:
        return False
    return True


@lru_cache(maxsize=128)
def _pair(name: str, language: str = ENGLISH) -> tuple[Template, Template]:
    env = environment(language)
    return env.get_template(f"{name}.txt"), env.get_template(f"{name}.html")


def _block(template: Template, block: str, values: Mapping[str, object]) -> str:
    context = template.new_context(dict(values))
    return "".join(template.blocks[block](context))


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def default_parts(name: str, values: Mapping[str, object]) -> tuple[str, str]:
    """The default subject and the default ``body`` block as plain text (what a council's own
    wording replaces), for the admin pages."""
    text, _ = _pair(name)
    return _one_line(_block(text, "subject", values)), _tidy(_block(text, "body", values))


def _one_line(subject: str) -> str:
    return " ".join(subject.split())


def render(
    name: str,
    values: Mapping[str, object],
    *,
    own_subject: str | None = None,
    own_body: str | None = None,
    language: str = ENGLISH,
) -> Rendered:
    """The message `name` with `values` in `language`; a council's filled-in subject or body
    replaces the default."""
    text_template, html_template = _pair(name, language_of(language))
    subject = _one_line(own_subject) if own_subject else _one_line(_block(text_template, "subject", values))
    text = _tidy(text_template.render({**values, "own_body": own_body}))
    html = html_template.render(
        {
            **values,
            "subject": subject,
            "own_body": paragraphs_html(own_body) if own_body is not None else None,
        }
    )
    return Rendered(subject, text, html.strip() + "\n")


def render_plain(subject: str, body: str) -> Rendered:
    """A message with no template files (wording registered in code): HTML made from its text."""
    return Rendered(_one_line(subject), _tidy(body), _PLAIN_HTML.format(body=paragraphs_html(body)))


_PLAIN_HTML = (
    '<!DOCTYPE html><html lang="en"><body style="font-family:Arial,Helvetica,sans-serif;'
    'font-size:16px;line-height:1.5;color:#0b0c0c;">{body}</body></html>\n'
)
