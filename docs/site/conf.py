# Sphinx configuration of the cloudaudit.aws docs site (`make docs`, built by scripts/build-docs).
# Started from `antsibull-docs sphinx-init --use-current --dest-dir docs/site cloudaudit.aws` (antsibull-docs 2.28.0), then:
# - intersphinx is off: the build runs offline and fetches no inventory from docs.ansible.com or docs.python.org;
# - myst_parser reads the Markdown guides (docs/*.md, docs/guides/*.md), which scripts/build-docs copies into the tree;
# - references to other collections' plugins (amazon.aws, ansible.builtin) cannot resolve without intersphinx: the
#   build provides their labels as link targets (scripts/build-docs), so `nitpicky` still reports every other broken reference.

project = "cloudaudit.aws"
project_copyright = "cloudaudit.aws maintainers"

title = "cloudaudit.aws documentation"
html_short_title = "cloudaudit.aws"

extensions = ["sphinx_antsibull_ext", "myst_parser"]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

# GitHub-style anchors for every heading level, so the guides' `page.md#a-heading` links resolve as they do on GitHub.
myst_heading_anchors = 6
# A guide's YAML and shell blocks are examples, not input to highlight strictly.
highlight_language = "YAML+Jinja"
pygments_style = "ansible"

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
html_theme_options = {"collapse_navigation": False}
html_context = {"display_github": False}

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = "any"

nitpicky = True
