# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The advanced_event_selectors option of trails and Lake event data stores;
    # its argument spec is module_utils/_common/advanced_selectors.py argument_spec().
    DOCUMENTATION = r"""
options:
  advanced_event_selectors:
    description:
      - Advanced event selectors, at most 500 condition values in all; they replace the current selectors.
      - Field names are not restricted to a list (AWS keeps adding fields), only to 1-1000 characters of letters,
        digits, C(_) and C(.); each value is 1-2048 characters. V(readOnly), V(eventCategory) and V(resources.type)
        only support O(advanced_event_selectors[].field_selectors[].equals).
      - Compared without regard to order.
      - See the notes for the limits and alternatives of this module.
    type: list
    elements: dict
    suboptions:
      name:
        description: A name for the selector.
        type: str
      field_selectors:
        description: The conditions, one field each; an event matches when all of them match.
        type: list
        elements: dict
        required: true
        suboptions:
          field:
            description: The field, for example V(eventCategory), V(eventSource), V(eventName), V(readOnly), V(resources.type), V(resources.ARN).
            type: str
            required: true
          equals:
            description: Values the field equals.
            type: list
            elements: str
          not_equals:
            description: Values the field does not equal.
            type: list
            elements: str
          starts_with:
            description: Prefixes the field starts with.
            type: list
            elements: str
          not_starts_with:
            description: Prefixes the field does not start with.
            type: list
            elements: str
          ends_with:
            description: Suffixes the field ends with.
            type: list
            elements: str
          not_ends_with:
            description: Suffixes the field does not end with.
            type: list
            elements: str
"""
