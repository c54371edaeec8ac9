"""The cleaner on real extraction artefacts, copied verbatim from the seed documents (knowledge/documents)."""
from __future__ import annotations

from knowledge.cleaning import Block, clean_pages, fix_quotes, strip_footnote_markers

RULE = "\xa0" * 60  # the footnote separator as extracted: a line of non-breaking spaces

# gfmd-2012-rt32-background, lines 44-60: a footnote block (after the rule) interrupts a sentence across a page
RT32_FOOTNOTE_MID_SENTENCE = (
    "objectives. \n \nReal or perceived conflict between migration control and human rights prerogatives may arise"
    " at any \npoint of the migration cycle: on departure, during travel, upon arrival or during stay, and upon"
    " return \nto the home country. The interests which need to be taken into consideration in resolving these"
    f" \n\n{RULE}\n1 UNDP: Overcoming Barriers – Human mobility and development, Human Development Report, New York"
    " (2009), \navailable at: http://hdr.undp.org/en/media/HDR_2009_EN_Complete.pdf. \n2The terms ‘protection’ or"
    " ‘protecting’ in this paper encompass all activities (including respect, protect and fulfil) aimed at"
    " \nobtaining full respect for the rights of all individuals in accordance with international law. Protection"
    " obligations of State \nmay derive from different areas of international law, including international human"
    " rights, labour, refugee and humanitarian \nlaw. \n situations can vary. Depending on the situation, different"
    " areas of international law might apply and \nprovide guidance.  \n \nThis paper, which has been prepared"
)


def texts(blocks: list[Block], kind: str = "paragraph") -> list[str]:
    return [b.text for b in blocks if b.kind == kind]


def test_footnote_block_leaves_the_paragraph_and_becomes_numbered_notes() -> None:
    blocks = clean_pages([RT32_FOOTNOTE_MID_SENTENCE])
    paragraphs = texts(blocks)
    assert any(
        p.endswith("taken into consideration in resolving these situations can vary. Depending on the situation, "
                   "different areas of international law might apply and provide guidance.")
        for p in paragraphs
    ), paragraphs
    assert not any("UNDP: Overcoming" in p or "hdr.undp.org" in p for p in paragraphs)
    notes = [b for b in blocks if b.kind == "note"]
    assert [n.number for n in notes] == [1, 2]
    assert notes[0].text.startswith("UNDP: Overcoming Barriers")
    assert notes[1].text.startswith("The terms 'protection' or 'protecting'")  # "2The" lost its glued number
    assert notes[1].text.endswith("refugee and humanitarian law.")


def test_lone_footnote_number_and_page_continuation() -> None:
    # gfmd-2012-cs-protection-note, lines 50-64: number on its own line, note text, then the page resumes
    raw = (
        "The theme of migrant protection has been gaining momentum within both the government and civil \nsociety"
        " components of the GFMD as well as outside the GFMD, with growing emphasis in forums and \nprocesses linked"
        " to the IOM, UNHCR and UNODC as well as the ILO, OHCHR and mechanisms of the \nHuman Rights Council1. "
        " Particular attention is being given to responding to migrants trapped in dire \nhumanitarian situations"
        " arising in crisis and in transit, with an eye to further discussion and action on \n\n" + " " * 49 +
        "\n1\n The acronyms in order stand for: the International Organization for Migration (IOM), the United"
        " Nations Office \n\non Drugs and Crime (UNODC), the United Nations High Commissioner for Refugees (UNHCR),"
        " the International \nLabour Organization (ILO= and the Office of the High Commissioner for Human Rights"
        " (OHCHR). \n the issue at the second High Level Dialogue on International Migration and Development at"
        " the UN \nGeneral Assembly in late 2013.  \n "
    )
    blocks = clean_pages([raw])
    (paragraph,) = texts(blocks)
    assert "mechanisms of the Human Rights Council. Particular attention" in paragraph  # marker "Council1." gone
    assert "further discussion and action on the issue at the second High Level Dialogue" in paragraph
    assert "acronyms" not in paragraph
    (note,) = [b for b in blocks if b.kind == "note"]
    assert note.number == 1 and note.text.startswith("The acronyms in order stand for")
    assert "United Nations Office on Drugs and Crime" in note.text


def test_glued_footnote_markers_are_removed_but_real_numbers_stay() -> None:
    notes = {1, 2, 3, 4, 6, 12, 16}
    # rt32: "Protecting2 the", "life plans'.1", "below the age of 18,3 are", "(unaccompanied ...children)4"
    assert strip_footnote_markers("Protecting2 the lives and well being", notes) == "Protecting the lives and well being"
    assert strip_footnote_markers("to realise their life plans'.1", notes) == "to realise their life plans'."
    assert strip_footnote_markers("below the age of 18,3 are affected", notes) == "below the age of 18,3 are affected".replace("18,3", "18,")
    assert strip_footnote_markers("separated children)4 make up", notes) == "separated children) make up"
    assert strip_footnote_markers("The principle of international cooperation 12", notes) == (
        "The principle of international cooperation"
    )
    assert strip_footnote_markers("other groups of non-nationals. 16", notes) == "other groups of non-nationals."
    # numbers that are not markers: conventions, articles, URLs, years, COVID-19
    for keep in ("ILO C181, Private Employment Agencies Convention", "Article 12 of the CRC",
                 "http://www2.ohchr.org/english/law/crc.htm.", "COVID-19-related crises", "in early 2007 to serve",
                 "Chapter 2.1.10, 1979", "Article 6(2)"):
        assert strip_footnote_markers(keep, notes | {2007, 1979, 10, 19}) == keep


def test_real_hyphen_at_line_end_is_kept_and_lines_join() -> None:
    # rt32 lines 155-161: "non-\ndiscriminatory" is a real compound; lines are hard-wrapped
    raw = (
        " \n\nPossible policy responses: Good practices include measures for ensuring migrant children are treated"
        " \nfirst and foremost as children as opposed to irregular or regular migrants. This includes non-"
        "\ndiscriminatory access for all children, including refugee and migrant children, to comprehensive child"
        " \nprotection systems designed to respond to the specific needs of children and prevent child abuse,"
        " \nneglect, exploitation and violence.  "
    )
    (paragraph,) = texts(clean_pages([raw]))
    assert "This includes non-discriminatory access for all children" in paragraph
    assert paragraph.endswith("prevent child abuse, neglect, exploitation and violence.")
    assert "\n" not in paragraph and "  " not in paragraph


def test_soft_hyphenation_is_undone_when_the_document_knows_the_word() -> None:
    (paragraph,) = texts(clean_pages(["Ships render assist-\nance without delay; assistance is owed to all."]))
    assert paragraph.startswith("Ships render assistance without delay")


def test_bullet_split_over_lines_and_a_url_cut_at_the_line_end() -> None:
    # gfmd-2012-cs-protection-note, lines 393-403: "-" bullet continued after empty lines, URL wrapped
    raw = (
        " \n \n\nfor Working Session 3.B on Protecting Migrants in Dire Humanitarian Situations \n \n\n- Child"
        " Protection Working Group, Minimum Standards for Child Protection in Humanitarian \n\nAction (2012) -"
        " http://cpwg.net/wp-content/uploads/2012/10/Minimum-standards-for-child-\n\nprotection-in-humanitarian"
        "-action.pdf  "
    )
    paragraphs = texts(clean_pages([raw]))
    assert paragraphs[-1] == (
        "• Child Protection Working Group, Minimum Standards for Child Protection in Humanitarian Action (2012) - "
        "http://cpwg.net/wp-content/uploads/2012/10/Minimum-standards-for-child-protection-in-humanitarian-action.pdf"
    )


def test_bullet_glyphs_sub_bullets_and_page_numbers() -> None:
    # mfa-2013-asia-pacific-recommendations, lines 890-912: "o" bullets, "§"+private-use glyph, page number " 17 "
    raw = (
        "(1990) \n \n\no The ILO’s core conventions: \n\n§\uf0a7 C87 Freedom of Association and Protection of the"
        " Right to Organise Convention (1949) \n§\uf0a7 C98 Right to Organise and Collective Bargaining Convention"
        " (1949) \n§\uf0a7 C29 Forced Labour Convention (1930) \n\n\n\n \n\n 17 \n\n \no Convention on the"
        " Elimination of All Forms of Discrimination Against Women (1979) \n \no Convention on the Rights of the"
        " Child (1989) "
    )
    paragraphs = texts(clean_pages([raw]))
    assert "• The ILO's core conventions:" in paragraphs
    assert "• C98 Right to Organise and Collective Bargaining Convention (1949)" in paragraphs
    assert "• Convention on the Rights of the Child (1989)" in paragraphs
    assert not any(p.strip("• ") == "17" or "\uf0a7" in p or "§" in p for p in paragraphs)
    # gfmd-2020: "·" bullets
    (item,) = texts(clean_pages(["· practitioners from regions that did not have those GFMD regional meetings"]))
    assert item == "• practitioners from regions that did not have those GFMD regional meetings"


def test_tabs_headings_and_stray_spaces_in_the_session_report() -> None:
    # gfmd-2012-ws3b-report, lines 9-14 and 22-24: tab-separated numbering, headings ending in a tab
    raw = (
        "Check against final (20.11.2012)\n\nPart 1 – Changes needed\t\nChanges identified during the session as"
        " most urgently needed\t\n1.\tWe need to look more at migration consequences of crisis and the underlying"
        " vulnerabilities.\nPart 3 – Recommendations for Action\t\nRecommendations put forward by the session for"
        " concrete follow-up actions , to be taken by civil society, governments, and other stakeholders\t\n1.\tTo"
        " address the challenges we need to harmonize policies at regional and international level."
    )
    blocks = clean_pages([raw])
    assert texts(blocks, "heading") == ["Part 1 – Changes needed", "Part 3 – Recommendations for Action"]
    paragraphs = texts(blocks)
    assert "1. We need to look more at migration consequences of crisis and the underlying vulnerabilities." in paragraphs
    assert any("concrete follow-up actions, to be taken by civil society" in p for p in paragraphs)
    assert not any("\t" in p for p in paragraphs)


def test_headings_detected_and_lost_bullets_are_not_headings() -> None:
    # rt32 lines 268-300: items whose bullet glyph was lost, after "Core principles include:", with footnotes
    raw = (
        "international humanitarian law. Core principles include: \n \n\n The duty to protect life at sea and"
        " render assistance to those in distress at sea without \ndiscrimination6 \n\n The obligation to ensure"
        " arrangements for distress communication and coordination7 \n The duty to respect the sovereignty of"
        f" other States8 \n\n{RULE}\n6 Article 98, UNCLOS. \n7 Article 98(2), UNCLOS. \n8  Article 2, Charter of the"
        " United Nations. \n Practical Example \n \nThe Spanish trawler “Francisco y Catalina” rescued 51 people."
        "\n\nI.  Introduction\n\nCase Study: Ali & Osman stopped at the border \n \nAli's father is a rebel fighter."
        "\n\nTheme 3: Operationalizing the Protection of Migrants and their Families\n\nText.\n"
        " Regulating the Recruitment Industry \n \nRecruitment agency regulation has been at the top of the agenda."
    )
    blocks = clean_pages([raw])
    assert texts(blocks, "heading") == [
        "Practical Example",
        "I. Introduction",
        "Case Study: Ali & Osman stopped at the border",
        "Theme 3: Operationalizing the Protection of Migrants and their Families",
        "Regulating the Recruitment Industry",
    ]
    paragraphs = texts(blocks)
    assert "The duty to protect life at sea and render assistance to those in distress at sea without discrimination" in paragraphs
    assert "The duty to respect the sovereignty of other States" in paragraphs
    assert 'The Spanish trawler "Francisco y Catalina" rescued 51 people.' in paragraphs


def test_broken_quotes_are_repaired() -> None:
    # cs-protection-note lines 28-34: the closing quote of "Protection" was lost
    (paragraph,) = texts(clean_pages([(
        "The programme for the Civil Society Days 2012 will be structured around Working \nSessions along three"
        " themes: “Labour”, “Development” and “Protection. This note \nprovides some background to the third theme"
        " “Protection”, in particular on what has "
    )]))
    assert 'three themes: "Labour", "Development" and "Protection". This note provides' in paragraph
    assert 'the third theme "Protection", in particular' in paragraph
    # cs-protection-note lines 314-323: the opening quote was lost at the start of a bullet
    (_, bullet) = texts(clean_pages([(
        "the protection needs of people therein:  \n\n \n- In addressing the challenge of irregular migration, states"
        " need to remember that migrants \n\nare human beings with human rights who should be treated with dignity"
        " and respect \nthroughout the migration cycle, regardless of their migration status […]. The mixed"
        " \ncharacter of many irregular movements should also be acknowledged, which may include \npersons in need"
        " of international protection.” (GFMD 2011, RT II) \n"
    )]))
    assert bullet.startswith('• "In addressing the challenge of irregular migration, states need to remember')
    assert bullet.endswith('persons in need of international protection." (GFMD 2011, RT II)')
    # gfmd-2020: doubled punctuation around a closing quote
    assert fix_quotes('"Montevideo has a fund,", one participant reported') == (
        '"Montevideo has a fund," one participant reported'
    )


def test_word_style_inline_footnotes() -> None:
    # gfmd-2020-rt4-gaps-background: "[footnoteRef:2]" marker and "[2:  text]" note inline
    (paragraph, note) = clean_pages([(
        "Moreover, representatives of all four GFMD groups expressed willingness to partner together in this"
        " direction.[footnoteRef:2] [2:  Addressing this gap in protection also relates to the separate GFMD 2020"
        " themes 1: the Governance of Labour Migration.] \n"
    )])
    assert paragraph.text.endswith("willingness to partner together in this direction.")
    assert note.kind == "note" and note.number == 2
    assert note.text.startswith("Addressing this gap in protection")


def test_running_headers_and_page_numbers_of_a_paginated_source_are_dropped() -> None:
    topics = ["rescue at sea", "child protection", "labour rights", "stranded migrants"]
    pages = [f"Background paper GFMD 2012\nA paragraph about {t}.\n{i}" for i, t in enumerate(topics, start=1)]
    blocks = clean_pages(pages, paginated=True)
    assert [b.page for b in blocks] == [1, 2, 3, 4]
    assert [b.text for b in blocks] == [f"A paragraph about {t}." for t in topics]
