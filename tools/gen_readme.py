"""Write each addon's README.rst from its readme/*.md fragments (OCA layout)."""

import pathlib
import re
import sys

SECTIONS = [
    ("DESCRIPTION.md", "Description"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
]
TITLES = {"coworking_online_signup": "Coworking Online Signup"}


def md_to_rst(text):
    # inline code `x` -> ``x``; the rest of our fragments is valid reStructuredText
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)


def render(addon):
    manifest = eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
    out = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        f"*{manifest['summary']}*",
        "",
        f"License: {manifest['license']}. Version {manifest['version']}.",
        "",
        "**Table of contents**",
        "",
        ".. contents::",
        "   :local:",
        "",
    ]
    for file, title in SECTIONS:
        fragment = addon / "readme" / file
        if fragment.exists():
            out += [
                title,
                "=" * len(title),
                "",
                md_to_rst(fragment.read_text()).strip(),
                "",
            ]
    out += [
        "Credits",
        "=======",
        "",
        "Authors",
        "~~~~~~~",
        "",
        f"* {manifest['author']}",
        "",
    ]
    return "\n".join(out)


def main(root):
    changed = False
    for addon in sorted(pathlib.Path(root, "addons").iterdir()):
        if not (addon / "__manifest__.py").exists():
            continue
        target = addon / "README.rst"
        text = render(addon)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
            changed = True
    return changed


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
