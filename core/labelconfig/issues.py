"""What is wrong with a config, where, in words: ``ConfigIssue`` and the ``ConfigInvalid`` error."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from ..errors import ValidationFailed


class ConfigIssue(msgspec.Struct, frozen=True, omit_defaults=True):
    """One problem in a labeling config.

    :ivar message: a sentence naming the tag (``<Tag name="x">: ...``).
    :ivar line: 1-based source line, when known.
    :ivar tag: the tag at fault, as registered (``None`` for document-level problems).
    :ivar attribute: the attribute at fault, if one is.
    """

    message: str
    line: int | None = None
    tag: str | None = None
    attribute: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class ConfigInvalid(ValidationFailed):
    """A labeling config was refused; ``issues`` lists every problem found, in source order."""

    def __init__(self, issues: Sequence[ConfigIssue], *, field: str = "label_config") -> None:
        ordered = sorted(issues, key=lambda i: (i.line or 0))
        self.issues: list[ConfigIssue] = ordered
        texts = [str(issue) for issue in ordered]
        detail = "Invalid labeling config: " + (texts[0] if texts else "unknown problem")
        if len(texts) > 1:
            detail += f" (and {len(texts) - 1} more)"
        # config_issues: the same problems with their lines, for editors that mark them in place.
        super().__init__(
            detail, validation_errors={field: texts}, config_issues=[msgspec.to_builtins(i) for i in ordered]
        )


def tag_label(tag: str, name: str | None = None) -> str:
    """How messages refer to a tag: ``<Tag name="x">`` or ``<Tag>``."""
    return f'<{tag} name="{name}">' if name else f"<{tag}>"
