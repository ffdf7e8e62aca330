"""The words of the interface in the plan's language: the theme's translations (see
`stratdocs.i18n`) and the plan's own names for its kinds of items (`terms:` in stratdocs.yml).

View models write every label through one `Interface` (`views.ui`): `ui.gettext("Owner")`,
`ui.ngettext("%(num)d KPI", "%(num)d KPIs", n)`, `ui.kind("objective", plural=True)`. Helpers
without a `views` at hand use the module functions `_()` and `ngettext()`, which speak through
the interface of the build under way (`use`, set by the renderer). English is the source
language; without a catalog every word reads as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

from babel.support import NullTranslations

from stratdocs.i18n import N_
from stratdocs.model import KIND_LABELS

#: KIND_LABELS' words, marked so that the catalogs carry them.
_KIND_WORDS = (N_("Plan"), N_("Strategic objective"), N_("Strategic objectives"), N_("Initiative"),
               N_("Initiatives"), N_("Functional strategy"), N_("Functional strategies"),
               N_("Operational plan"), N_("Operational plans"), N_("KPI"), N_("KPIs"), N_("Review"),
               N_("Reviews"), N_("Page"), N_("Pages"), N_("Operational objective"),
               N_("Operational objectives"), N_("Task"), N_("Tasks"), N_("Risk"), N_("Risks"), N_("Action"),
               N_("Actions"))


@dataclass(frozen=True)
class Interface:
    """Translations of `language` and the plan's `terms` (kind -> (singular, plural))."""

    translations: NullTranslations = field(default_factory=NullTranslations)
    language: str = "en"
    terms: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, config, translations: NullTranslations) -> "Interface":
        """The interface of a project's `config` with the theme's `translations` (`env.translations`)."""
        return cls(translations, config.language, config.terms)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        """The form for `n`, with `%(num)d` (and any `%(name)s` in `values`) filled in."""
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def kind(self, kind: str, plural: bool = False) -> str:
        """What the plan calls items of `kind`: its own term, else the translated label."""
        if kind in self.terms:
            return self.terms[kind][1 if plural else 0]
        return self.gettext(KIND_LABELS[kind][1 if plural else 0])


ENGLISH = Interface()
_CURRENT: ContextVar[Interface] = ContextVar("stratdocs_interface", default=ENGLISH)


def use(ui: Interface) -> None:
    """Speak through `ui` from now on in this build (its pages, documents and workers)."""
    _CURRENT.set(ui)


def current() -> Interface:
    return _CURRENT.get()


def _(message: str) -> str:
    """`message` in the language of the build under way."""
    return _CURRENT.get().gettext(message)


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    """The form for `n` in the language of the build under way, `%(num)d` filled in."""
    return _CURRENT.get().ngettext(singular, plural, n, **values)
