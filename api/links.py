"""Ids and links of instruments and provisions: Unicode ids, percent-encoded exactly once in a link.

An instrument's IRI holds its file stem percent-encoded (graph/ids.py); a person and a router see
the decoded stem (`产品质量法(2018-12-29)`). The id is that decoded text plus the provision path;
a link encodes it once, the router decodes it once, and `iri_of` turns it back into the IRI.
"""
from __future__ import annotations

from urllib.parse import quote, unquote

DOC_NAMESPACE = "https://w3id.org/dutygraph/id/doc/"
# graph/ids.iri_safe keeps these in a stem; provision paths add "/" (art/5/para/1) and "~" (art/7~2).
IRI_SAFE = "/-._~"


def resource_id(iri: str) -> str:
    """`…/doc/%E4%BA%A7…/art/5` → `产…/art/5`; an IRI outside the namespace is returned as is."""
    return unquote(iri[len(DOC_NAMESPACE):]) if iri.startswith(DOC_NAMESPACE) else iri


def iri_of(identifier: str) -> str:
    """The IRI for an id as the router hands it over (decoded), or for an IRI given as such."""
    if identifier.startswith(DOC_NAMESPACE):
        return identifier
    return DOC_NAMESPACE + quote(identifier, safe=IRI_SAFE)


def instrument_link(iri: str) -> str:
    return "/instruments/" + quote(resource_id(iri), safe="")


def provision_link(iri: str) -> str:
    return "/provisions/" + quote(resource_id(iri), safe="/")
