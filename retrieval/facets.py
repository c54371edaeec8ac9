"""Facets read from a practitioner's description of a case: who (population), where in the journey (stage),
and what went wrong (harm). Rules, not a model: explainable in a `why` line, cheap, and testable alone.

The vocabulary is the guides' own (`knowledge.guides.Population/Stage/Harm`), so a facet read here can be
matched against a guide's declared facets directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.guides import HARMS, POPULATIONS, STAGES

FacetKind = str  # "population" | "stage" | "harm"


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_CHILD = _rx(r"\bchild(ren)?\b", r"\bminors?\b",
    r"\b(1[0-7]|[2-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen)[- ]year[- ]olds?\b",
    r"\b(teen(ager)?s?|adolescents?)\b", r"\b(boys?|girls?|kids?|bab(y|ies)|infants?|toddlers?)\b",
    r"\baged? (1[0-7]|[2-9])\b", r"\bunder(-| )18\b", r"\bunaccompanied\b",
    r"\b(sons?|daughters?|sisters?|brothers?|siblings?),? (aged )?([1-9]|1[0-7])\b",
    r"\bwithout (any |an )?adults?\b")
_ALONE = _rx(r"\bunaccompanied\b", r"\bseparated\b", r"\balone\b", r"\bon (his|her|their) own\b",
    r"\bby (him|her)self\b", r"\bwithout (his|her|their|any) (parents?|family|guardian|adults?)\b",
    r"\bno (parents?|guardian|adult)\b", r"\bparents? (died|were killed|are missing|left behind)\b")
_VIOLENCE = _rx(r"\bbeat(en|s|ing)?\b", r"\bhit(s|ting)? (her|him|them)\b", r"\bslapp",
    r"\bphysical(ly)? abus", r"\bassault", r"\babus(e|ed|es|ive)\b", r"\bviolen(ce|t)\b")
_CONFINE = _rx(r"\b(kept|keeps?|held|holds?) (them |her |him )?(on|in|at|inside|aboard)\b",
    r"\blocked (in|inside|up)\b", r"\bconfined\b", r"\bnot (allowed|permitted) to (leave|go)\b",
    r"\bcan(not|'t) leave\b", r"\bwhen (they|he|she) (asked|tried|wanted) to (leave|go home|quit)\b",
    r"\bescap(e|ed)\b")
_DEBT = _rx(r"\bdebts?\b", r"\bowe[sd]?\b", r"\bloans?\b", r"\bindebted\b")
_WORK = _rx(r"\bwork(s|ed|ing|ers?)?\b", r"\bjobs?\b", r"\bemploy", r"\blabou?r", r"\bfactor(y|ies)\b",
    r"\bfarms?\b", r"\bplantations?\b", r"\bconstruction\b", r"\bfishing (crews?|industry|workers?)\b",
    r"\bbrick kilns?\b", r"\bmines?\b")

# One entry per facet; derived facets (unaccompanied children, child labour, ...) are added in `read_facets`.
_PATTERNS: dict[str, re.Pattern[str]] = {
    # populations
    "migrant_workers": _WORK,
    "domestic_workers": _rx(r"\bdomestic (work|worker|helper|help|staff|servant)s?\b", r"\bhousemaids?\b",
        r"\bmaids?\b", r"\bnann(y|ies)\b", r"\bhousekeepers?\b", r"\blive-in\b", r"\bkafala\b",
        r"\bhousehold (work|staff)\b", r"\bworks? in (a|the|her|his) (home|house(hold)?)\b",
        r"\bcaregivers? in (a|the) (home|household)\b"),
    "health_workers": _rx(r"\bnurses?\b", r"\bdoctors?\b",
        r"\bhealth(care)? (workers?|personnel|professionals?)\b", r"\bmidwi(fe|ves)\b"),
    "seafarers": _rx(r"\bseafar(er|ers|ing)\b", r"\bsailors?\b", r"\bcrew( members?)?\b",
        r"\bfisher(men|man|s)?\b", r"\bdeckhands?\b", r"\bship'?s? (crew|workers)\b",
        r"\b(work(s|ed|ing)?|employed) (on|aboard) (a |the )?(\w+ )?(ship|vessel|boat|trawler)s?\b"),
    "women": _rx(r"\bwom[ae]n\b", r"\bfemale\b", r"\bpregnan", r"\bmothers?\b", r"\bwid(ow|ows)\b",
        r"\bwi(fe|ves)\b", r"\blactating\b", r"\bnursing mothers?\b", r"\bgirls?\b", r"\bgender\b"),
    "families": _rx(r"\bfamil(y|ies)\b", r"\bparents?\b", r"\bspouses?\b", r"\bhusbands?\b",
        r"\bwi(fe|ves)\b", r"\breunif"),
    "refugees": _rx(r"\brefugees?\b", r"\basylum\b", r"\bpersecut", r"\binternational protection\b",
        r"\bfle(e|eing|d) (from )?(war|conflict|violence|persecution|the fighting)\b", r"\brefoul"),
    "trafficking_victims": _rx(r"\btraffick"),
    "smuggled_migrants": _rx(r"\bsmuggl", r"\bcoyotes?\b", r"\bpeople[- ]movers?\b"),
    "undocumented": _rx(r"\bundocumented\b", r"\birregular(ly)?\b",
        r"\bwithout (papers|documents|a (valid )?(visa|permit))\b",
        r"\bno (papers|documents|valid (visa|permit|work permit)s?)\b", r"\boverst(ay|ayed|ayer)",
        r"\billegal(ly)? (in|entered|staying|migrants?|status)\b", r"\bexpired (visa|permit)s?\b",
        r"\bsans[- ]papiers\b"),
    "stranded": _rx(r"\bstranded\b", r"\btrapped\b", r"\bstuck\b",
        r"\bcan(not|'t) (leave|get home|go home|return)\b", r"\bunable to (leave|return|go home)\b",
        r"\babandoned\b", r"\bcamping outside\b"),
    "stateless": _rx(r"\bstateless", r"\bno nationality\b", r"\bbirth (registration|certificate)s?\b"),
    "rescued_at_sea": _rx(r"\brescued\b", r"\bsurvivors?\b", r"\bpicked up (at|from the) sea\b",
        r"\bdisembark"),
    "civilians": _rx(r"\bcivilians?\b"),
    # stages
    "departure": _rx(r"\bpre-?departure\b", r"\bbefore (leaving|departure|they leave|she leaves|he leaves)\b",
        r"\bleave (home|the country) for work\b", r"\bprospective migrants?\b"),
    "recruitment": _rx(r"\brecruit", r"\b(employment|placement|manpower|job) agenc(y|ies)\b",
        r"\bagen(t|ts|cy|cies)\b", r"\bbrokers?\b", r"\bplacement fees?\b", r"\bjob offers?\b",
        r"\bcontract substitution\b", r"\bsub-?agents?\b", r"\bvisa fees?\b"),
    "transit": _rx(r"\btransit\b", r"\ben route\b", r"\bon the (way|route|journey)\b", r"\bjourney\b",
        r"\bdesert\b", r"\bcrossing\b", r"\bcorridor\b"),
    "at_sea": _rx(r"\bat sea\b", r"\bboats?\b", r"\bdinghy\b", r"\brafts?\b", r"\bvessels?\b", r"\bshipwreck",
        r"\bcoast ?guard\b", r"\bsearch and rescue\b", r"\brescue coordination\b", r"\b(MRCC|RCC)\b",
        r"\bmerchant (ship|vessel)s?\b", r"\bdisembark", r"\bcapsiz", r"\bdrown", r"\bmediterranean\b",
        r"\bsea crossing\b", r"\bsea rescue\b", r"\bflag state\b", r"\bhigh seas\b", r"\bcoastal states?\b",
        r"\blet them (land|disembark|dock)\b"),
    "border": _rx(r"\bborders?\b", r"\bport of entry\b", r"\bairport\b", r"\bcheckpoints?\b", r"\bfrontier\b",
        r"\bpush-?backs?\b", r"\bpushed back\b", r"\bimmigration (officers?|control|checks?)\b"),
    "detention": _rx(r"\bdetain", r"\bdetention\b", r"\blocked up\b", r"\bjail", r"\bprison", r"\bcustody\b",
        r"\barrest", r"\bimmigration (centre|center|raid)s?\b", r"\braid(s|ed)?\b", r"\bheld in\b"),
    "destination_work": _rx(r"\bemployers?\b", r"\bworkplace\b", r"\bfactor(y|ies)\b", r"\bfarms?\b",
        r"\bplantations?\b", r"\bconstruction site\b", r"\bwages?\b", r"\bsalar(y|ies)\b", r"\bovertime\b",
        r"\bworking (hours|conditions)\b", r"\bwork permits?\b", r"\bat work\b", r"\bshifts?\b"),
    "crisis": _rx(r"\bcrisis\b", r"\bcrises\b", r"\bemergenc(y|ies)\b", r"\bevacuat", r"\bpandemic\b",
        r"\bepidemic\b", r"\bcovid", r"\blockdown\b", r"\bhumanitarian\b"),
    "return": _rx(r"\breturn(s|ed|ing|ees?)?\b", r"\brepatriat", r"\bdeport", r"\bsent back\b",
        r"\bsend (them|him|her) back\b", r"\bgo home\b", r"\bgoing home\b", r"\breintegrat",
        r"\bremov(al|ed) to\b", r"\bexpel", r"\bexpulsion\b"),
    # harms
    "forced_labour": _rx(r"\bforced (labou?r|to work)\b", r"\bdebt bondage\b", r"\bbonded\b", r"\bslavery\b",
        r"\bservitude\b", r"\bnot allowed to leave\b",
        r"\bcan(not|'t) leave (the|her|his|their) (job|employer|house|work)\b", r"\blocked (in|inside)\b",
        r"\bconfined\b", r"\bmenace of (a )?penalty\b"),
    "trafficking": _rx(r"\btraffick", r"\bsold (to|into)\b", r"\bforced (into|to do) (sex|prostitution)\b",
        r"\bsexual exploitation\b", r"\borgan (removal|harvesting|smuggling)\b"),
    "smuggling": _rx(r"\bsmuggl", r"\bcoyotes?\b", r"\bpaid (a|an|the) (man|agent|driver) to (cross|take)\b"),
    "wage_theft": _rx(r"\bunpaid\b", r"\bnot (been )?paid\b", r"n't (been )?paid\b", r"\bwithout pay\b",
        r"\bno pay\b", r"\bwages? (owed|withheld|theft|arrears)\b",
        r"\b(withh[eo]lds?(ing)?|delay(ed|s)?|deduct(s|ed|ions)?) (of )?(their |her |his )?"
        r"(wages?|salar(y|ies)|pay)\b",
        r"\bunderpaid\b", r"\bhalf (the|of (the|what)) (pay|amount|salary|wage)",
        r"\bpaid (less|half|nothing)\b", r"\bback ?pay\b", r"\bstopped paying\b", r"\bnever paid\b"),
    "document_confiscation": _rx(
        r"\bpassports?\b.{0,40}\b(held|taken|kept|confiscated|withheld|retained|seized)\b",
        r"\b(took|take|takes|holds?|held|keeps?|kept|confiscat\w*|withh[eo]ld\w*|retain\w*|seiz\w*) "
        r"(of )?(the |their |her |his |all )?(workers'? )?"
        r"(passports?|identity documents?|id cards?|papers)\b",
        r"\bfor safe ?keeping\b", r"\bdocument (retention|confiscation)\b"),
    "recruitment_abuse": _rx(r"\brecruitment fees?\b", r"\bplacement fees?\b", r"\bfees?\b",
        r"\bcontract substitution\b", r"\bdifferent contract\b", r"\bfalse promises?\b", r"\bdeceiv",
        r"\bdecept", r"\blied to\b",
        r"\bdebts? to (the|an?|her|his|their) (agent|recruiter|agency|broker)s?\b", r"\bsub-?agents?\b",
        r"\bloans?\b", r"\billegal recruit"),
    "discrimination": _rx(r"\bdiscriminat", r"\bxenophob", r"\bracis[mt]\b", r"\bhate\b",
        r"\bpaid less than (local|national|citizen)", r"\bequal (pay|treatment)\b",
        r"\bbecause (she|he|they) (is|are) (a )?(foreign|migrant)"),
    "gender_violence": _rx(r"\bsexual(ly)? (abuse|abused|assault|assaulted|violence|harass)",
        r"\brap(e|ed)\b", r"\bharass", r"\bgender-based\b", r"\bsexual exploitation\b"),
    "child_labour": _rx(r"\bchild labou?r\b", r"\bworking children\b", r"\bchild workers?\b"),
    "refoulement": _rx(r"\brefoul", r"\bpush-?backs?\b", r"\bpushed back\b", r"\bsent back to\b",
        r"\bfear(s)? (of )?(persecution|torture|being killed)\b", r"\btortur", r"\bpersecut"),
    "distress_at_sea": _rx(r"\bin distress\b", r"\bsinking\b", r"\bcapsiz", r"\bshipwreck", r"\bdrown",
        r"\btaking (on )?water\b", r"\boverloaded\b", r"\bovercrowded (boat|vessel|dinghy)\b",
        r"\bdistress (call|signal)\b", r"\bmayday\b", r"\bengine (failed|failure|broke)\b", r"\badrift\b",
        r"\bdrifting\b", r"\bdying (on board|at sea)\b", r"\bran out of (fuel|food|water)\b",
        r"\bno (food|water|fuel) (on board|left)\b"),
    "armed_conflict": _rx(r"\bwar\b", r"\bcivil war\b", r"\barmed (conflict|groups?|rebels?)\b",
        r"\bconflict\b", r"\bfighting\b", r"\brebels?\b", r"\bmilitias?\b", r"\bcoup\b", r"\bshelling\b",
        r"\bbomb", r"\bhostilities\b", r"\bair ?strikes?\b", r"\bcivil unrest\b", r"\bcrossfire\b"),
    "disaster": _rx(r"\bearthquakes?\b", r"\bfloods?\b", r"\bflooding\b", r"\bhurricanes?\b",
        r"\btyphoons?\b", r"\bcyclones?\b", r"\btsunamis?\b", r"\bnatural disasters?\b", r"\bdisasters?\b",
        r"\bwildfires?\b", r"\blandslides?\b", r"\bvolcan"),
    "consular_access": _rx(r"\bconsul", r"\bembass(y|ies)\b", r"\bdiplomatic\b"),
    "union_rights": _rx(r"\b(trade )?unions?\b", r"\bunioni[sz]",
        r"\borgani[sz](e|ing) (a |the )?(union|workers)\b", r"\bcollective bargaining\b", r"\bstrikes?\b",
        r"\bfreedom of association\b"),
    "workplace_injury": _rx(r"\binjur", r"\baccidents?\b", r"\bhurt at work\b", r"\boccupational\b",
        r"\bmachine\b"),
    "social_protection": _rx(r"\bsocial (security|protection|insurance)\b", r"\bpensions?\b",
        r"\bbenefits?\b", r"\bhealth insurance\b", r"\bunemployment\b"),
    "statelessness": _rx(r"\bstateless", r"\bno nationality\b", r"\bbirth (registration|certificate)s?\b"),
    "family_separation": _rx(r"\bseparated from\b", r"\bfamily reunification\b", r"\breunit",
        r"\bleft behind\b", r"\bfamily tracing\b",
        r"\btaken (away )?from (her|his|their) (parents?|mothers?|fathers?|famil)"),
    "health_access": _rx(r"\bhospital", r"\bmedical\b", r"\bhealth ?care\b", r"\bsick\b", r"\bill\b",
        r"\btreatment\b", r"\btrauma", r"\bpsycholog", r"\bmental health\b", r"\bpregnan"),
    "arbitrary_detention": _rx(r"\bdetain", r"\bdetention\b", r"\blocked up\b", r"\bcustody\b"),
    "labour_exploitation": _rx(r"\bexploit", r"\blong hours\b", r"\b1[2-9][- ]hours?\b",
        r"\bno (day|days) off\b", r"\bwithout (a )?(day|rest) off\b", r"\bovertime\b",
        r"\bworking conditions\b", r"\bseven days a week\b"),
}

_KIND = {
    **{p: "population" for p in POPULATIONS}, **{s: "stage" for s in STAGES}, **{h: "harm" for h in HARMS},
}
assert set(_PATTERNS) <= set(_KIND), sorted(set(_PATTERNS) - set(_KIND))


def facet_kind(tag: str) -> FacetKind:
    return _KIND[tag]


@dataclass(frozen=True)
class Facets:
    populations: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    harms: frozenset[str] = frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return self.populations | self.stages | self.harms

    def __bool__(self) -> bool:
        return bool(self.tags)

    def describe(self) -> list[str]:
        order = {"population": 0, "stage": 1, "harm": 2}
        return [f"{facet_kind(t)}: {t}" for t in sorted(self.tags, key=lambda t: (order[facet_kind(t)], t))]


def read_facets(text: str) -> Facets:
    """The facets a description of a situation mentions (rules; no model)."""
    found = {tag for tag, rx in _PATTERNS.items() if rx.search(text)}
    child = bool(_CHILD.search(text))
    if child:
        found.add("children")
        if _ALONE.search(text):
            found.add("unaccompanied_children")
        if _WORK.search(text) or "labour_exploitation" in found:
            found.add("child_labour")
            found.discard("migrant_workers")  # a working child is a child-labour case, not a migrant worker's
    # implications that keep the vocabulary consistent with how guides declare their scope
    working = bool({"migrant_workers", "domestic_workers", "seafarers", "health_workers"} & found)
    violence = bool(_VIOLENCE.search(text))
    if violence and "women" in found:
        found.add("gender_violence")
    # ILO forced-labour indicators: two or more at work (violence, confinement, debt, unpaid wages, documents
    # held, threats) read as possible forced labour even when the words "forced labour" are never written
    indicators = sum([violence, bool(_CONFINE.search(text)), bool(_DEBT.search(text)), "wage_theft" in found,
                      "document_confiscation" in found, bool(re.search(r"\bthreat", text, re.IGNORECASE))])
    if working and indicators >= 2:
        found.add("forced_labour")
    if "domestic_workers" in found or "seafarers" in found or "health_workers" in found:
        found.add("migrant_workers")
    if "domestic_workers" in found:
        found.add("destination_work")
    if "distress_at_sea" in found or "rescued_at_sea" in found:
        found.add("at_sea")
    if "at_sea" in found and "rescued_at_sea" not in found and re.search(r"\brescu", text, re.IGNORECASE):
        found.add("rescued_at_sea")
    if "rescued_at_sea" in found:
        found.add("distress_at_sea")  # a rescue at sea presupposes distress
    if "armed_conflict" in found or "disaster" in found:
        found.add("crisis")
    if "trafficking" in found:
        found.add("trafficking_victims")
    if "smuggled_migrants" in found:
        found.add("smuggling")
    if "stateless" in found:
        found.add("statelessness")
    if "detention" in found:
        found.add("arbitrary_detention")
    if "seafarers" in found and "distress_at_sea" not in found:
        # a ship is the seafarer's workplace: without a distress signal it is not a sea-rescue case
        found.discard("at_sea")
        found.discard("rescued_at_sea")
    return Facets(
        populations=frozenset(found & POPULATIONS),
        stages=frozenset(found & STAGES),
        harms=frozenset(found & HARMS),
    )


_ASKS = _rx(
    r"\b(which|what|whose)\b[^.?!]{0,60}\b(framework|convention|instrument|standard|guideline|tool|treaty|"
    r"protocol|law|laws|rules|principles|obligations|legal basis|norms?|checklist|handbook)s?\b",
    r"\b(applicable|relevant) (law|legal|framework|standards?|instruments?|conventions?|treaties|guidelines|"
    r"tools?)\b",
    r"\blegal framework\b", r"\bdoes (the )?[\w .()-]{1,60} apply\b", r"\bwhat applies\b",
    r"\bwhich applies\b", r"\bwhat (can|should) (we|i) (cite|invoke|rely on|use)\b",
    r"\bwhat (protection|rights) (do|does|can)\b", r"\bwhat are (the|our|their) (obligations|duties)\b",
    r"\bhow (should|can|do) (we|i|states?|authorities)\b")
_CASE = _rx(r"\b(my|our) (client|case|beneficiar(y|ies)|caseload)\b",
    r"\bwe (have|are|met|received|assist|support|found|work)\b", r"\bcame to (us|our|the office)\b",
    r"\bI (am|have|met|work)\b",
    r"\b(a|an|one|two|three|four|five|six|\d+)[- ](\d+[- ])?(year[- ]old|wom[ae]n|m[ae]n|boys?|girls?|"
    r"child(ren)?|workers?|migrants?|famil(y|ies)|domestic|seafarers?|nurses?|people|persons?|refugees?|asylum|"
    r"minors?|teen)")


# Stricter than _CASE: "a child's right to be heard" names no one; "a boy who arrived alone" does.
_STORY = _rx(r"\b(my|our) (client|case|beneficiar(y|ies)|caseload)\b",
    r"\bwe (have|met|received|assist|support|found)\b", r"\bcame to (us|our|the office)\b", r"\bI met\b",
    r"\b\d+[- ]year[- ]old\b",
    r"\b(a|an|one|two|three|four|five|six|\d+) ([\w-]+ ){0,2}(wom[ae]n|m[ae]n|boys?|girls?|child(ren)?|workers?|"
    r"migrants?|famil(y|ies)|seafarers?|nurses?|people|persons?|refugees?|minors?) (who|whose|is|are|was|were|"
    r"has|have|had|arrived|came|got|went)\b")


def describes_case(text: str) -> bool:
    """True when the text tells of someone in particular ("my client", "a 15-year-old", "a boy who arrived")."""
    return bool(text) and bool(_STORY.search(text))


def is_framework_question(text: str) -> bool:
    """True when a practitioner asks which framework/tool/instrument applies, or describes a concrete case."""
    if not text or not text.strip():
        return False
    if _ASKS.search(text):
        return True
    facets = read_facets(text)
    return bool(_CASE.search(text)) and len(facets.tags) >= 2 and bool(facets.stages | facets.harms)
