"""Package discovery for the split layout (server/gobex + rules -> gobex, gobex.rules).

pyproject.toml holds all metadata; this file only computes the package list so
that a new rule area under rules/ needs no hand-maintained entry.
"""

from setuptools import find_packages, setup

packages = ["gobex." + p for p in find_packages("server/gobex")] + ["gobex"]
packages += ["gobex.rules"] + ["gobex.rules." + p for p in find_packages("rules")]
package_dir = {"gobex": "server/gobex", "gobex.rules": "rules"}

setup(packages=packages, package_dir=package_dir)
