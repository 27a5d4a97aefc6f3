"""Clean real-world article text before sentences are chosen: PTB artefacts and page furniture.

Two kinds of noise reach the brief from real corpora:

* **Penn-Treebank tokenisation.** Research corpora (Timeline17 among them) ship text as tokens
  joined by spaces: ``Obama 's plan -LRB- draft -RRB- , he said .``. :func:`detokenize` undoes
  that; :func:`is_tokenized` tells whether a text looks tokenised at all, so that normal text is
  never touched.
* **Page furniture.** Scraped pages keep share buttons, photo credits, newsletter prompts,
  copyright lines, comment-section notices and archive-crawler notes (``Tweet with a location``,
  ``Image copyright Getty Images``, ``The seed for this crawl was …``). :func:`is_furniture`
  recognises such a sentence or line; :data:`FURNITURE` holds the patterns as data, and
  :data:`FURNITURE_PREFIXES` the furniture that is glued to the front of a real sentence
  (``Page last updated at 07:43 GMT … Beyonce will perform …``) and is cut off instead.

:func:`clean_article_text` and :func:`clean_title` combine both. Every function is total (never
raises), linear in the input (regular expressions without nested quantifiers) and idempotent.
"""

from __future__ import annotations

import re

from storyline.text_units import split_sentences

# --------------------------------------------------------------------------------------------
# Penn-Treebank detokenisation
# --------------------------------------------------------------------------------------------

_PTB_BRACKETS = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}
_BRACKET_TOKEN = re.compile(r"-([LR][RSC]B)-", re.I)
_ESCAPED = re.compile(r"\\([/*])")  # PTB escapes "/" and "*" as "\/" and "\*"
# PTB separates tokens with single spaces. Most patterns start with that literal space and check
# what precedes it with a look-behind *after* it, which lets the regex engine skip ahead fast.
_OPEN_DQUOTE = re.compile(r"`` ?")
_CLOSE_DQUOTE = re.compile(r"(?: (?<=\S )|^)''(?=\s|$|[^\w'])", re.M)
_OPEN_SQUOTE = re.compile(r"`(?<![`\w]`) (?=\w)")
_AFTER_OPEN = re.compile(r"([(\[{]) ")
_BEFORE_CLOSE = re.compile(r" (?<=\S )([)\]}])")
# "word ." / "word ," / "D.C. ." … ; the stop must be followed by a space, the end or a closer so
# that ".NET", " .5" and ":-)" are left alone.
_DOUBLE_STOP = re.compile(r" (?<=\. )\.(?=\s|$|[\"'”’)\]}])", re.M)
_BEFORE_PUNCT = re.compile(r" (?<=\S )(\.\.\.|[!?]+\.?|[,.;:%])(?=\s|$|[\"'”’)\]}])", re.M)
_CLITIC = re.compile(r" (?<=\w )(n[’']t|[’'](?:s|re|ve|ll|d|m))(?![\w'’])", re.I)
_GLUED_COLON = re.compile(r"(?<=\w) :(?=\w)")
_POSSESSIVE = re.compile(r" (?<=s )'(?=\s|$)", re.M)  # "Reynolds ' China"
_SPLIT_WORD = re.compile(r" (?<=\b(?:gon|wan|got) )(na|ta)\b", re.I)  # "gon na" -> "gonna"
_CURRENCY = re.compile(r"([$£€¥#])(?<![\w$£€¥#][$£€¥#]) (?=\d)")
_DOUBLE_DASH = re.compile(r"--(?<=\S --)(?= \S)")
_CLOSING_SQUOTE = re.compile(r" (?<=[\w.!?,] )'(?=\s*$| [A-Z(]|[.,;:!?])", re.M)

# Signals for is_tokenized, counted with str.count (much faster than a regex scan): separated
# punctuation (weight 1) and, weighing 2 as they hardly occur in normal text, a stop separated
# at the end of a line and separated clitics.
_SPACED_SIGNALS: tuple[tuple[str, int], ...] = (
    *((f" {p}{end}", 1) for p in ",.;:!?" for end in " \n" if (p, end) != (".", "\n")),
    (" .\n", 2),
    *(
        (f" {c}{end}", 2)
        for c in ("'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "'S", "N'T")
        for end in " \n"
    ),
)
_GLUED_PUNCT = re.compile(r"\w[,.;:!?](?=\s|$)", re.M)
_GLUED_CLITIC = re.compile(r"\w(?:n't|'(?:s|re|ve|ll|d|m))(?!\w)", re.I)
_PTB_TOKEN = re.compile(r"-[LR][RSC]B-|``|\\/")


def is_tokenized(text: str) -> bool:
    """Whether ``text`` looks Penn-Treebank tokenised (``word , word 's -LRB-``).

    Bracket tokens, ````` and ``\\/`` are decisive. Otherwise separated punctuation and clitics
    must be at least two and outnumber normally attached ones, so a stray ``"Hello , world."``
    in normal text does not count.
    """
    if not text:
        return False
    if _PTB_TOKEN.search(text):
        return True
    padded = text + "\n"
    spaced = sum(padded.count(signal) * weight for signal, weight in _SPACED_SIGNALS)
    if spaced < 2:
        return False
    glued = len(_GLUED_PUNCT.findall(text)) + len(_GLUED_CLITIC.findall(text))
    return spaced * 2 > glued


def detokenize(text: str) -> str:
    """Undo Penn-Treebank tokenisation; text without tokenisation artefacts is left unchanged.

    >>> detokenize("Obama 's plan -LRB- a draft -RRB- costs $ 5 billion , he said .")
    "Obama's plan (a draft) costs $5 billion, he said."
    >>> detokenize("`` We do n't know , '' she said -- again .")
    "“We don't know,” she said — again."
    """
    if not text:
        return ""
    out = _BRACKET_TOKEN.sub(lambda m: _PTB_BRACKETS[f"-{m.group(1).upper()}-"], text)
    out = _ESCAPED.sub(r"\1", out)
    out = _OPEN_DQUOTE.sub("“", out)
    out = _CLOSE_DQUOTE.sub("”", out)
    out = _OPEN_SQUOTE.sub("'", out)
    out = _AFTER_OPEN.sub(r"\1", out)
    out = _BEFORE_CLOSE.sub(r"\1", out)
    out = _CLITIC.sub(r"\1", out)
    out = _SPLIT_WORD.sub(r"\1", out)
    out = _POSSESSIVE.sub("'", out)
    out = _DOUBLE_STOP.sub("", out)
    out = _BEFORE_PUNCT.sub(r"\1", out)
    out = _CLOSING_SQUOTE.sub("'", out)
    out = _CURRENCY.sub(r"\1", out)
    out = _DOUBLE_DASH.sub("—", out)
    out = _GLUED_COLON.sub(": ", out)  # "Schools :12 January" (a spaced colon glued to the next)
    # A closing quote may now sit before punctuation that was spaced after it: ”  , -> ”,
    return _BEFORE_PUNCT.sub(r"\1", out)


# --------------------------------------------------------------------------------------------
# Page furniture
# --------------------------------------------------------------------------------------------

_I = re.I
_END = r"\W*$"  # optional trailing punctuation, then the end of the sentence

#: Whole sentences or lines that are page furniture, matched against the stripped sentence.
#: Each pattern is anchored at the start (and most at the end) so that a news sentence that
#: merely mentions "share", "copyright" or "photo" is not caught.
FURNITURE: tuple[re.Pattern[str], ...] = (
    # Page stamps and server errors (BBC "Page last updated at 07:43 GMT, …").
    re.compile(r"^Page last (?:updated|modified)\b", _I),
    re.compile(r"^Last (?:updated|modified)\s*:", _I),
    re.compile(r"^\W*an error occurred while processing this directive\W*$", _I),
    # Share / social buttons and embeds, alone or in a row ("Facebook Twitter Pinterest").
    re.compile(
        r"^(?:(?:share|tweet|e-?mail|print|save|pin|like|comment|comments|facebook|twitter|"
        r"pinterest|linkedin|whatsapp|reddit|messenger|google\+|embed|skip|copy link|x)"
        r"(?:\s+|[|•·/,]\s*|\W*$))+$",
        _I,
    ),
    re.compile(
        r"^(?:Share|Tweet|E-?mail|Print|Save|Bookmark|Pin|Like) (?:this|it)"
        r"(?: (?:article|story|page|post|video|photo|image|gallery|link|item|on \w+|"
        r"via \w+|with \w+( \w+)?|to a friend))?" + _END,
        _I,
    ),
    re.compile(r"^Share (?:on|via|to) (?:Facebook|Twitter|e-?mail|WhatsApp|LinkedIn)\b", _I),
    re.compile(r"^Read (?:or|and) Share this\b", _I),
    re.compile(
        r"^(?:Share|Send) (?:your|us)\b.{0,80}?\b(?:iReports?|photos?|photographs|images?|"
        r"videos?|e-?mail|stories|story|comments?|thoughts|views|tips?)\b",
        _I,
    ),
    re.compile(r"^Tweet with a location" + _END, _I),
    re.compile(r"^You can add location information to your Tweets\b", _I),
    re.compile(r"^You always have the option to delete your Tweet location history\b", _I),
    re.compile(r"^Add this Tweet to your website\b", _I),
    re.compile(r"^Follow (?:us|me|him|her|them|@\w+)\b", _I),
    re.compile(r"^Follow .{1,40} on (?:Twitter|Facebook|Instagram|LinkedIn|Google\+?)\b", _I),
    re.compile(r"^Join the (?:conversation|discussion)\b", _I),
    # Photo, video and graphic credits and captions.
    re.compile(r"^Image (?:copyright|caption|source)\b", _I),
    re.compile(r"^Media (?:playback is (?:unsupported|not supported)|caption)\b", _I),
    re.compile(r"^Click (?:image|here|the image|on the image|to (?:view|enlarge|see|play))\b", _I),
    re.compile(r"^(?:Photo|Photograph|Picture|Image|Video|Graphic)s?(?: credit| by)?\s*:", _I),
    re.compile(r"^(?:Credit|Source)\s*:.{0,40}\b(?:Getty|AP|AFP|Reuters|EPA|iStock|Shutterstock)"),
    re.compile(r"^(?:Getty Images|AFP|AP|Reuters|EPA|Shutterstock|iStock)(?:/\w+)?" + _END),
    re.compile(r"^\((?:AP|AFP|Reuters|Pool|Getty Images|EPA|Associated Press)\b[^()]{0,80}\)$"),
    re.compile(r"^\([^()]{1,60}/[^()]{1,60}\)$"),  # "(Todd Maisel/New York Daily News)"
    # "Sarah Tew/CNET", "Michael Nagle/Getty Images": a short capitalised name / organisation.
    re.compile(
        r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} ?/ ?[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,3}$"
    ),
    re.compile(r"^(?:Please )?enable JavaScript\b", _I),
    re.compile(r"^(?:Your|This) browser does not support\b", _I),
    re.compile(r"^Text Size\b", _I),
    # Advertising, "continue reading", related-links and newsletter / subscription prompts.
    re.compile(r"^Advertisement(?: Continue reading the main story)?" + _END, _I),
    re.compile(r"^(?:Story|Article) continue[sd]? below" + _END, _I),
    re.compile(r"^Continue reading\b", _I),
    re.compile(r"^Read (?:more|next|the full (?:story|article)|full (?:story|article))\b", _I),
    re.compile(r"^(?:Related|See also|More on this|Also read|Also|Recommended|Trending)\s*:", _I),
    re.compile(r"^(?:Most (?:Read|Popular|Viewed|Shared)|Learn more|Top stories)" + _END, _I),
    re.compile(r"^Sign[ -]?up\b", _I),
    re.compile(r"^(?:E-?mail Sign[ -]?Up|Breaking News E-?mails)\b", _I),
    re.compile(r"^Subscribe\b", _I),
    re.compile(r"^Already (?:a subscriber|have an account)\b", _I),
    re.compile(r"^(?:Thank you|Thanks) for (?:subscribing|signing up|registering|reading)\b", _I),
    re.compile(r"^You can unsubscribe\b", _I),
    re.compile(r"^By (?:signing up|subscribing|clicking)\b.{0,80}\b(?:agree|consent)\b", _I),
    re.compile(
        r"^(?:Invalid e-?mail address|Please re-?enter|You must select a newsletter|"
        r"An error has occurred|Please try again later)" + _END,
        _I,
    ),
    re.compile(r"^View all\b.{0,40}\bnewsletters" + _END, _I),
    re.compile(r"^Get\b.{0,60}\bdelivered to your inbox\b", _I),
    re.compile(r"^Get (?:the|our)\b.{0,40}\bnewsletter\b", _I),
    re.compile(r"^You have (?:reached|read) (?:your|all of your|the)\b.{0,40}\b(?:limit|free)", _I),
    # Cookie and consent banners.
    re.compile(r"^(?:We|This (?:site|website)|Our (?:site|website)s?) uses? cookies\b", _I),
    re.compile(r"^By (?:continuing|using)\b.{0,60}\b(?:site|website)\b.{0,60}\bcookies\b", _I),
    re.compile(r"^(?:Accept|Allow|Manage) (?:all )?cookies\b", _I),
    # Copyright and agency boilerplate.
    re.compile(r"^(?:.{0,40}\b)?(?:Copyright|©|\(c\))\s*(?:©\s*)?(?:19|20)\d\d\b"),
    re.compile(r"^©"),
    re.compile(r"(?:^|[\s.,;-])All rights reserved" + _END, _I),
    re.compile(
        r"\bThis material may not be published, broadcast, rewritten,? or redistributed\b", _I
    ),
    re.compile(r"\bcontributed (?:reporting )?to this (?:report|story|article)\b", _I),
    re.compile(r"^The (?:opinions|views) expressed\b.{0,40}\bare (?:solely )?\w+ own\b", _I),
    re.compile(r"^(?:THIS IS A RUSH TRANSCRIPT|This copy may not be in its final form)\b", _I),
    re.compile(r"\bTHIS IS A RUSH TRANSCRIPT\b|\bDownload PDF maps related to today's show\b"),
    # Comment sections, edition pickers and market-data footers.
    re.compile(
        r"^(?:This discussion is (?:now )?closed|Comments? (?:are|is) (?:not pre-screened|"
        r"closed|moderated)|Your (?:contact details|comments?|e-?mail address) (?:will|may)\b|"
        r"Please ensure you have read the terms|Notify me of (?:follow-up|new) (?:comments|posts)|"
        r"Compiled by the \S+ moderation staff|Some comments (?:have been )?edited|"
        r"Please (?:get involved and )?leave a comment|Report abuse|Posted by\s*:|"
        r"Please create a screen name|Select one with \d|It can ?not be changed once you make|"
        r"You've selected the .{1,30} Edition|Would you like to make this your default edition|"
        r"All times are (?:ET|EST|EDT|GMT|UTC|local)|Most stock quote data provided by|"
        r"If you have a large file you can upload)",
        _I,
    ),
    # Live Q&A page furniture ("Thoughts, comments, suggestions or criticisms about …").
    re.compile(r"^(?:Thoughts, comments, suggestions or criticisms about\b|Send us an e-mail"
               + _END + ")", _I),
    # Live-page notices ("This live page is part of a BBC News trial to test …").
    re.compile(r"^This live page is part of\b", _I),
    # Internet Archive crawl notes (web-archived corpora such as Multi-News).
    re.compile(
        r"^(?:The seed for (?:this crawl|Wide\d+)|These crawls are part of an effort to archive|"
        r"That way, as the pages that are referenced are changed|Crawls of supported \"No More 404|"
        r"This crawl was run at a level|The WARC files associated with this crawl|"
        r"Then the Internet Archive hopes|The goal is to fix all broken links on the web|"
        r"-+ ?(?:Slash pages from every domain|a ranking of all URLs that have more than one|"
        r"up to a maximum of \d+ most highly ranked URLs|Top ranked pages \(up to a max))",
        _I,
    ),
    # Russian: share, "read also", subscribe, photo credit, advertising, rights.
    re.compile(r"^Поделиться\b", _I),
    re.compile(r"^(?:Читайте|Смотрите) (?:также|тоже|далее)\b", _I),
    re.compile(r"^(?:Подписывайтесь|Подпишитесь)\b", _I),
    re.compile(r"^(?:Фото|Видео|Иллюстрация)\s*:", _I),
    re.compile(r"^Реклама" + _END, _I),
    re.compile(r"^Все права защищены\b", _I),
    # Nothing but punctuation, digits and symbols ("___", "###", "2.", "+").
    re.compile(r"^[\W\d_]*$"),
)

_AGENCIES = (
    r"AP|AFP|Getty Images|Getty|Reuters|EPA|PA|Corbis|Rex Features|Rex|Alamy|Bloomberg|Xinhua|"
    r"Sipa|Polaris|Zuma|Barcroft|NASA|Handout|Pool|Associated Press|Shutterstock|iStock"
)

#: A dateline's place as an agency's site writes it, in capitals or not, with its region, several
#: joined by "/": "Warsaw", "MINSK/MOSCOW", "United Nations (United States)", "VENICE,
#: La/HOUSTON", "BIRMINGHAM, Ala.,".
_DATELINE_ONE = (r"[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2}"
                 r"(?:, [A-Z][a-z]+\.?(?: [A-Z][a-z]+)?| \([A-Z][A-Za-z ]{1,30}\))?")
_DATELINE_PLACE = rf"^{_DATELINE_ONE}(?:/{_DATELINE_ONE}){{0,2}},?"
#: The same in Cyrillic: "МОСКВА", "Москва", "МІНСК", "НЬЮ-ЙОРК".
_CYRILLIC_WORD = r"[А-ЯЁІЎЇЄҐ][А-ЯЁІЎЇЄҐа-яёіўїєґ'’-]+"
_CYRILLIC_PLACE = rf"^{_CYRILLIC_WORD}(?:[ /]{_CYRILLIC_WORD}){{0,2}}"

#: Wire datelines' places, in capitals, several joined by "/": "WASHINGTON", "NEW YORK",
#: "MEXICO CITY/GENEVA", "VENICE, Louisiana", "BENGHAZI, Libya/AGADEZ, Niger", "BIRMINGHAM, Ala.,".
_WIRE_ONE_PLACE = r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2}(?:, [A-Z][a-z]+\.?(?: [A-Z][a-z]+)?)?"
_WIRE_PLACES = _WIRE_ONE_PLACE + r"(?:/" + _WIRE_ONE_PLACE + r"){0,2},?"

#: A wire dateline's day: "May 25", "Jan. 11".
_WIRE_DAY = r"[A-Z][a-z]{2,8}\.? \d{1,2}"

#: Datelines as agencies write them on their sites and wires, with the credit: "WASHINGTON
#: (Reuters) - ", "Jan 11 (Reuters) - ", "Warsaw (AFP) - ", "United Nations (United States)
#: (AFP) - ", "MINSK/MOSCOW, Sept 14 (Reuters) - ", "MOSCOW, June 24, 2015 (AFP) - "; in Russian,
#: Belarusian and Ukrainian "МОСКВА, 6 дек — РИА Новости." (", Иван Петров." when signed),
#: "МОСКВА, 6 декабря. /ТАСС/.", "МИНСК, 12 сентября (БЕЛТА) – ", "Москва. 7 марта. INTERFAX.RU
#: - ". Cut from the front of a paragraph before it is split into sentences (the Russian ones
#: hold full stops), and from the front of a sentence.
DATELINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:" + _DATELINE_PLACE + r"(?:,? " + _WIRE_DAY + r"(?:, \d{4})?)?|^" + _WIRE_DAY
               + r") \((?:Reuters|AP|AFP|UPI|dpa)\)\s*[-–—]+\s*(?=\S)"),
    re.compile(_CYRILLIC_PLACE + r"[,.] \d{1,2} [а-яёіўїєґ]{3,10}\.?(?:,? \d{4})?[,.]? ?"
               r"(?:[-–—] ?(?:РИА Новости|Sputnik|ПРАЙМ)"
               r"(?:, [А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)?\.?"
               r"|/(?:ТАСС|БЕЛТА|БелТА)/\.?(?: ?[-–—])?"
               r"|\((?:БЕЛТА|БелТА|Интерфакс|Інтерфакс-Україна)\) ?[-–—]|INTERFAX\.RU ?[-–—])\s*"
               r"(?=\S)"),
)

#: Furniture glued to the start of a real sentence; cut off (repeatedly) instead of dropping.
FURNITURE_PREFIXES: tuple[re.Pattern[str], ...] = (
    # "Page last updated at 07:43 GMT, Tuesday, 23 August 2011 08:43 UK "
    # (on a page without a headline, after the page's own title: "Michael Jackson was 'murdered
    # for money', says sister Page last updated at …": the title goes with the stamp)
    re.compile(
        r"^(?:[^\n]{1,200}? )?Page last updated at \d{1,2}:\d\d GMT ?,? ?\w+ ?,? ?\d{1,2} \w+ "
        r"\d{4}(?: \d{1,2}:\d\d UK)?\s+"
    ),
    re.compile(r"^Last updated: \d{1,2} \w+,? \d{4}(?: - \d{1,2}:\d\d GMT)?\s+(?=\S)"),
    re.compile(r"^\(?an error occurred while processing this directive\)?\s*", _I),
    # Story-page button rows and section stamps: "This Story: Read + | Watch + |",
    # "Skip to a day of the week:", "Follow The World Desk On:", "By the CNN Wire Staff".
    re.compile(r"^[”\"'‘’]*\s*This Story\s*:\s*(?:(?:Read|Watch|Listen) \+\s*\|\s*)+", _I),
    re.compile(r"^Skip to a day of the week\s*:\s*", _I),
    re.compile(r"^[”\"'‘’]*\s*Follow The [\w ]{1,30}? On\s*:\s*", _I),
    re.compile(r"^By the CNN Wire Staff\s+"),
    # Page time stamps before the story: "Monday 14 February 2005 01.50 GMT",
    # "Tue Oct 11, 2011 11:42 am BST", and wire bullets ("* Obama, lawmakers …").
    re.compile(r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* \d{1,2} \w+ \d{4} \d{1,2}[.:]\d\d "
               r"(?:GMT|BST|UTC|EST|EDT|CET|CEST)\s+"),
    re.compile(r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* [A-Z][a-z]{2,8}\.? \d{1,2} ?, \d{4} "
               r"\d{1,2}:\d\d ?(?:am|pm) (?:GMT|BST|UTC|EST|EDT|CET|CEST)\s+", _I),
    re.compile(r"^\\?\*\s+"),
    # Wire page heads: "WASHINGTON | Mon Nov 8, 2010 6:39 pm EST ", "Jan 11, 2011 5:42 pm EST "
    # (their datelines, "WASHINGTON (Reuters) - ", are :data:`DATELINES`)
    re.compile("^" + _WIRE_PLACES + r" \| (?=(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* )"),
    re.compile(r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* )?[A-Z][a-z]{2,8}\.? \d{1,2} ?, \d{4} "
               r"\d{1,2}:\d\d ?(?:am|pm) (?:GMT|BST|UTC|EST|EDT|CET|CEST|IST)\s+", _I),
    # agencies' datelines with their credit (:data:`DATELINES`)
    *DATELINES,
    # a page head run into the lede up to its dateline: "Combines social and console games *
    # Opened first game By Tarmo Virki, Correspondent HELSINKI, May 25 (Reuters) - Finnish …"
    # (or up to one without a day, after a page stamp: "By Maggie Fox, Health and Science Editor
    # WASHINGTON | Mon Mar 2, 2009 4:23 pm EST WASHINGTON (Reuters) - Virtually all …", "CAIRO
    # May 10 (Reuters) - ", "MEXICO CITY/GENEVA (Reuters) - ")
    re.compile(r"^.{1,300}?\s(?=" + _WIRE_PLACES + r"(?:,? " + _WIRE_DAY
               + r")? \((?:Reuters|AP|AFP)\)\s*[-–—])"),
    # Opinion disclaimers run into the first sentence: "The opinions expressed are his own — …"
    re.compile(
        r"^The (?:opinions|views) expressed\b.{0,40}?\bare (?:solely )?\w+ own\s*[—:-]\s*(?=\S)"
    ),
    # Photo credits: "(AP Photo/Gerald Herbert) ", "(Getty Images) ", "(Chris Carlson - AP) ".
    re.compile(r"^\((?:AP|AFP|Reuters|Pool|EPA)?\s*Photo\b[^()]{0,80}\)\s*", _I),
    re.compile(r"^\((?:Getty Images|AP|AFP|Reuters|EPA|Associated Press)\)\s*"),
    re.compile(r"^\([^()]{1,60} - (?:AP|AFP|Getty Images|Reuters|EPA|Bloomberg)\)\s*"),
    # "Photograph: Saul Loeb/AFP/Getty Images BP could …" (a known agency marks the end)
    re.compile(
        r"^(?:Photograph|Photo|Picture)(?: by)?\s*:\s*[^/:]{1,60}?(?:/(?:" + _AGENCIES + r"))+"
        r"\s+(?=[A-Z0-9“\"'‘])"
    ),
    # "Kim Badawi/Getty Images for CNN A protester …"
    re.compile(
        r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} ?/ ?(?:Getty Images|AFP|AP|Reuters|EPA)"
        r"(?: for [A-Z]\w*)?\s+(?=[A-Z])"
    ),
    # Button rows before a caption or story: "Facebook Twitter Pinterest …", "Skip in Skip x …".
    re.compile(r"^Facebook Twitter Pinterest\s+"),
    re.compile(r"^Skip in Skip x Embed x Share\s+"),
    re.compile(r"^(?:Advertisement )?Continue reading the main story\s+"),
    re.compile(r"^YES \| NO\s+"),
)


def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One alternation equivalent to trying each pattern (one scan instead of dozens)."""
    return re.compile("|".join(f"(?{'i' if p.flags & re.I else ''}:{p.pattern})" for p in patterns))


# Patterns anchored at the start only need trying there (match); the few others need a search.
_FURNITURE_START = _any_of(tuple(p for p in FURNITURE if p.pattern.startswith("^")))
_FURNITURE_INNER = _any_of(tuple(p for p in FURNITURE if not p.pattern.startswith("^")))
_PREFIX_ANY = _any_of(FURNITURE_PREFIXES)
_NAV_SEPARATOR = re.compile(r"\s*[|•·›»]\s*")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


_NAV_CHARS = frozenset("|•·›»")


def _is_navigation(text: str) -> bool:
    """Mostly short capitalised items separated by | or • ("Home | News | Sport | Weather")."""
    if _NAV_CHARS.isdisjoint(text):
        return False
    parts = [p for p in _NAV_SEPARATOR.split(text) if p]
    if len(parts) < 3:
        return False
    short = sum(1 for p in parts if len(p.split()) <= 4 and (p[0].isupper() or not p[0].isalpha()))
    return short * 4 >= len(parts) * 3


def _furniture(text: str) -> bool:  # text: whitespace already collapsed and stripped
    if not text:
        return True
    if _FURNITURE_START.match(text) or _FURNITURE_INNER.search(text):
        return True
    return _is_navigation(text)


def _strip_prefix(text: str) -> str:  # text: whitespace already collapsed and stripped
    changed = _PREFIX_ANY.match(text) is not None
    while changed and text:
        changed = False
        for pattern in FURNITURE_PREFIXES:
            cut = pattern.sub("", text, count=1)
            if cut != text:
                text, changed = cut.strip(), True
    return text


def is_furniture(sentence: str) -> bool:
    """Whether ``sentence`` (or a whole line) is page furniture rather than article content.

    A sentence that starts with furniture glued to real content (``Page last updated at … UK
    Beyonce will …``) counts as furniture here; :func:`clean_article_text` cuts the prefix off
    first and keeps the rest. Empty and whitespace-only strings count as furniture.
    """
    return _furniture(_SPACES.sub(" ", sentence or "").strip())


def strip_furniture_prefix(sentence: str) -> str:
    """Cut furniture glued to the front of ``sentence`` (page stamps, photo credits, buttons)."""
    return _strip_prefix(_SPACES.sub(" ", sentence or "").strip())


def clean_article_text(text: str | None) -> str:
    """Detokenise (when tokenised) and drop page furniture; paragraphs stay on separate lines.

    Each line is cut into sentences with :func:`~storyline.text_units.split_sentences`; furniture
    prefixes are cut off, furniture sentences dropped, the rest rejoined with single spaces.
    Blank lines between paragraphs collapse to one.
    """
    if not text:
        return ""
    text = _SPLIT_TICKER.sub(r"\1.\2", text)
    if is_tokenized(text):
        text = detokenize(text)
    text = _SPLIT_TIME.sub(r"\1.\2", text)
    text = _SPLIT_THOUSANDS.sub(r"\1,\2", text)
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            lines.append("")
            continue
        if _is_navigation(line):  # a menu line may contain stops that split it into "sentences"
            continue
        for dateline in DATELINES:  # before splitting: "Москва. 7 марта. INTERFAX.RU - …"
            line = dateline.sub("", line, count=1)
        kept = []
        for sentence in split_sentences(line):
            sentence = _strip_prefix(sentence)
            if not _furniture(sentence):
                kept.append(sentence)
        if kept:
            lines.append(" ".join(kept))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


#: A cut-off title's last punctuation before its ellipsis ("north Iraq ,…" → "north Iraq…").
_CUT_END = re.compile(r"\s*[,;:]?\s*…$")
#: A stock ticker split into lines at its full stop ("BP Plc -LRB- BP . \nL -RRB-", "(BP.\nL)").
_SPLIT_TICKER = re.compile(r"\b([A-Z]{1,6}) ?\. *\n *([A-Z]{1,3})(?= ?(?:-RRB-|\)|>))")
#: Clock times split by tokenisation ("7.00-10 .30 pm").
_SPLIT_TIME = re.compile(r"(\d) \.(\d\d)\b")
#: Thousands split by tokenisation ("45,000-50 ,000 people").
_SPLIT_THOUSANDS = re.compile(r"(\d) ,(\d{3})\b")


def clean_title(title: str | None) -> str:
    """A title detokenised and with whitespace collapsed; ``""`` when it is page furniture."""
    if not title:
        return ""
    text = _SPACES.sub(" ", title.replace("\n", " ")).strip()
    # a title is too short for is_tokenized's count: "Obama , lawmakers want …" is tokenised
    # (detokenize leaves text without tokenisation artefacts unchanged)
    text = _CUT_END.sub("…", detokenize(text))
    text = strip_furniture_prefix(text)
    return "" if is_furniture(text) else text
