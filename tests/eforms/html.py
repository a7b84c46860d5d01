"""Reading rendered e-form HTML the way a browser and a screen reader would."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.http import QueryDict


@dataclass
class Control:
    tag: str
    attrs: dict
    legend: str = ""  # the legend of the fieldset around it, if any
    options: list = field(default_factory=list)  # (value, selected) of a select
    text: str = ""  # a textarea's content

    @property
    def type(self) -> str:
        return self.attrs.get("type", "text") if self.tag == "input" else self.tag


class FormPage(HTMLParser):
    """Controls, labels, legends and every element's id in a fragment of HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: list[Control] = []
        self.labels: dict[str, str] = {}  # for= → text
        self.ids: dict[str, str] = {}  # id → tag
        self.links: list[str] = []
        self.fieldsets: list[dict] = []
        self._fieldset: list[dict] = []
        self._label_for: str | None = None
        self._label_text: list[str] = []
        self._in_legend = False
        self._select: Control | None = None
        self._option: list | None = None
        self._textarea: Control | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids[attrs["id"]] = tag
        legend = self._fieldset[-1]["legend"] if self._fieldset else ""
        if tag == "fieldset":
            self._fieldset.append({"legend": "", "attrs": attrs})
            self.fieldsets.append(self._fieldset[-1])
        elif tag == "legend":
            self._in_legend = True
        elif tag == "label":
            self._label_for = attrs.get("for", "")
            self._label_text = []
        elif tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "input":
            self.controls.append(Control("input", attrs, legend))
        elif tag == "select":
            self._select = Control("select", attrs, legend)
            self.controls.append(self._select)
        elif tag == "option":
            self._option = [attrs.get("value", ""), "selected" in attrs]
            self._select.options.append(self._option)
        elif tag == "textarea":
            self._textarea = Control("textarea", attrs, legend)
            self.controls.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._fieldset.pop()
        elif tag == "legend":
            self._in_legend = False
        elif tag == "label":
            self.labels[self._label_for] = "".join(self._label_text).strip()
            self._label_for = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            # A newline right after <textarea> is not part of the value (HTML parsing rules).
            self._textarea.text = self._textarea.text.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.text += data
        if self._in_legend and self._fieldset:
            self._fieldset[-1]["legend"] += data
        if self._label_for is not None:
            self._label_text.append(data)

    def post(self) -> QueryDict:
        """What a browser sends when this form is submitted untouched."""
        sent = QueryDict(mutable=True)
        for control in self.controls:
            name = control.attrs.get("name")
            if not name:
                continue
            if control.type in ("radio", "checkbox"):
                if "checked" in control.attrs:
                    sent.appendlist(name, control.attrs.get("value", "on"))
            elif control.tag == "select":
                chosen = [value for value, selected in control.options if selected]
                sent.appendlist(name, chosen[-1] if chosen else control.options[0][0])
            elif control.tag == "textarea":
                sent.appendlist(name, control.text)
            else:
                sent.appendlist(name, control.attrs.get("value", ""))
        return sent
