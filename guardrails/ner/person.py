"""Find person names in a chat message: the trained NER model, cue phrases and the name lexicon.

Evidence and scores (the redactor's default threshold is 0.5):

* a strong cue before the name ("jag heter Björn", "my name is …")                      0.95
* a relation cue + a capitalised word or known name ("min son Rami", "handläggare Sten"),
  or a weak cue + a known name ("kontakta anna", "Björn sa att …")                         0.85
* the model's PER span with a known name, or capitalised inside a sentence               0.85
* the model's PER span of two or more capitalised words at the start of a sentence       0.70
  (a single unknown capitalised word opening a sentence is dropped: "Mobilnr …")
* a known first name the model missed (capitalised 0.75, lower case 0.60), or a known
  capitalised last name (0.60)
* the model's PER span with a name of the other-language lists, a word listed with a name
  ("Alva och Hugo", "Anna, Per och Lisa")                                                    0.70
* the model's PER span in a message without case, where no word looks ordinary (not in the
  bot's vocabulary, no verb, no inflected ending)                                            0.60
* a word joined to the writer ("hos milica och mig", "me and dobrila") that is no ordinary word
  and no relative ("min man och jag", "frugan och jag"), or the writer's own name right after
  "mig"/"me" that closes the clause ("till mig sevgi arslan, …")                           0.60
* a word explained as a person right after it: ", my daughter" closing the clause, or a school
  year in brackets ("vilja (åk 1)")                                                            0.60
* without case: "hi, i'm …" followed by a word that closes its clause (0.85, a relation cue; "hi,
  i'm tired of …" is no name); the model's full name after a weak cue unless one word follows a
  copula ("jag är jättearg"); "ms. …" with its full stop; "o'connor" in a signature
* without case, the family name after a found name takes the name's score: a name of any list, an
  ending of a naming tradition (-son, -berg, -nen, -ez, -ić, -ski, -ova …), or a word of no list
  that closes the name's clause ("deniz kaya", "hiba nasser, …"), any word that ends the message
* without case, the subject of a question that opens with its verb when it is no word of ours
  ("kan ayaan komma …", "can kaisa pick up …")                                              0.60
* without case, a name that is also a function word between a role or relative and its verb
  ("kontaktpersonen sanna har slutat")                                                        0.60
* what the sentence says of a word (0.60): a genitive before a relative or a role ("Ifrahs mamma",
  "Grace's teacher"), an English genitive in lower case ("hamid's parent meeting"), "och hans/hennes"
  or "som jobbar/bor" after it, a school class after it ("ifrah i 4b"), the writers listed after
  "we" ("till oss, Mehari och Senait"), a name opening a clause before what someone did ("azad
  lovade"), a word signed after " /" ("… /vilja")
* a kinship word used as a title ("pappa yonas", "mormor Birgitta"), the parent of a named child
  ("mamma till …"), thanks to someone ("tack till …"), whom to call back ("ringa upp …", without
  case "call … back"), Persian "my/our" after the relative, a name between "I" and "am" (Persian,
  Kurmanji): relation cues (0.85)
* every other mention of a found name, written the same (with case: capitalised too), takes its score
* without case: the word that closes a list of found names before its end, a verb or another "och"
  ("efter bertil och gun och …", "…, farah och abdirashed börjar …"); the words right before a
  personnummer, e-mail address or phone number, after "för"/"på"/"till"/"kontakt" ("för gullan
  qvarnström (19…)", "kontakt dilan, dilan@…"), never a label ("mobil", "pnr") or before an
  organisation number                                                                 0.70 / 0.85
* without case, a clause that is only a name and the person's identifier or home address ("… 450 kr.
  amra mehmedović 19…", "…! päivi på sjövägen 3": two words, or one of a list), and the one or two
  words that close the message right after an identifier ("… jag? 19…-4419 päivi")            0.60
* the words that spell the local part of an e-mail address in the message ("tesfay gebremedhin,
  tesfay.gebremedhin@…", "rosa quispe … rosaquispe@…")                                      0.85
* without case, a known first name that is also a word ("bill", "ben", not a stop word) alone between a
  relative and the end of its clause ("asking for my dad bill", "min son ben, han …")          0.85
* without case, a word before a person's age: opening a clause before "7 år" (0.60), or between a
  relative and "är/is 6" ("my son river is 6", 0.85)
* without case, a relative, a first name that is also a word and a family name's ending ("min morfar
  dag hedlund"); after a title, a family name of any ending that closes its clause ("ms grace
  okafor, …"); with case, an unknown capitalised word after a role that the model took for a place
  ("socialsekreterare Ahlbreg")                                                                0.85
* a genitive before a street word is a street named after a person, not the person ("Selma Lagerlöfs
  väg", "Martins gränd"): dropped; so is "Box" before a number (a post office box)
* the name of a thing, not a person: before an institution noun ("Tallbackens skola", "Solvändans
  äldreboende"), after a business or club word ("Restaurang …", "IK …"), what "heter" names after
  a thing ("föreningen heter …"), one word after "i"/"utanför" ("i Nora": a town): dropped, except a
  lone first name or its genitive ("Lisas förskola") and, for "i", a genitive, a strong cue or a
  feeling ("kär i Nora")
* a signature after " /" may be followed by the writer's role ("/Kristina, mamma till tre")
* with case, a capitalised first name that is also a word: inside a sentence right before its own phone
  number, personnummer or e-mail ("… eller Linda 070-…", 0.85), or right before a family name that
  was found ("Sten Ahl, 520814-…": the family name's score)

Cues are general: "heter"/"kallas" after anything but a question word ("en pojke som heter …"), a
relative or role with any possessive or in the definite form ("hennes son …", "grannen …"), the agent of
a passive ("boken lånades av …", "borrowed by …"), "named"/"called".

Names that are also ordinary words (björn, rosa, sten, ek) need a cue, a capital letter inside a
sentence, or a known name next to them; frequent function words (hans, inga, per, maj) need a capital
letter and a cue; names of the other-language lists need a cue or the model. In a message without case
(all capitals or all lower case), a capital letter is no evidence, and a model span after a cue is a
name even when no list knows it ("pratade med dragan"). Spans that the model finds in lower case without
any of this are dropped. Without case, a final -s marks an inflection only when what is left is a
word of ours ("needs", "skolans", "that's"); "idris", "yonas" and "yohannes" are names. Fields pasted
with slashes between them ("kofi mensah/19…/070…") are read as words apart, and so are fields of a
pasted table or export (";", "|", '"'); a form's name fields ("Förnamn:", "Efternamn:", "Patient:")
are strong cues, and no name runs over a line break.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

from guardrails.detection_text import written_in_capitals
from guardrails.ner.cues import (
    AGENT_PREPOSITIONS,
    CAPITALISED_NOT_NAMES,
    CLOSING_WORDS,
    CONTACT_VERBS,
    COORDINATORS,
    CUE_ADVERBS,
    NAMING_VERBS,
    NON_PERSON_SUFFIXES,
    PASSIVE_ENDINGS,
    PERSON_WORDS,
    POSSESSIVES,
    QUESTION_WORDS,
    RELATION_LEFT,
    RIGHT_CUE_BRIDGE,
    STOP_WORDS,
    STREET_WORDS,
    STRONG_LEFT,
    SUBJECT_VERBS,
    VERBS_AFTER_A_PERSON,
    WEAK_LEFT,
    WEAK_RIGHT,
    WORD_ENDINGS,
    WORD_NAMES,
)
from guardrails.ner.inference import build_ner
from guardrails.ner.lexicon import NameLexicon, fold_name, remember
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR, load_pipeline
from guardrails.ner.tokens import Tagged, Tok, tag, trim_lexeme_attributes, warm_vocabulary
from guardrails.settings import DEFAULT_SCORE_THRESHOLD

# Words that close a message before the writer's name ("… ? thanks ayaan", "… . kram lotta").
SIGN_OFF_WORDS = frozenset("tack tusen thanks thx tx ty cheers kram kramar hälsningar regards".split())
# Whom a thanks addresses when it is not a person: "tack allihop", "thanks guys".
_THANKED_GROUPS = frozenset(
    "allihop allihopa alla gänget everyone everybody all guys folks team teamet".split()
)


def _after_slash(text: str, tok: Tok) -> bool:
    """Whether ``tok`` follows a slash that signs a message ("/micke", "/ bosse")."""
    return text[max(0, tok.start - 2) : tok.start].strip() == "/"


# What the rules share: the names found so far (start token -> end token, score, reason), and how a rule
# adds one (start, end, score, reason; a higher score or a longer span wins).
Found = dict[int, tuple[int, float, str]]
Add = Callable[[int, int, float, str], None]

STRONG, RELATION, WEAK = 3, 2, 1
SCORE_STRONG_CUE = 0.95
SCORE_WEAK_CUE = 0.85
SCORE_MODEL = 0.85
SCORE_MODEL_SENTENCE_START = 0.70
SCORE_LEXICON_CAPITALISED = 0.75
SCORE_LEXICON_LOWER = 0.60
SCORE_LAST_NAME = 0.60
SCORE_OTHER_NAME = 0.70
SCORE_COORDINATED = 0.70
# A found name may anchor a list closed by a word that is also a word only when the name itself passes
# the redactor's threshold: the finder's ``list_anchor``, which the recognizer sets from
# ``GuardrailSettings.score_threshold``.
SCORE_MODEL_NO_CASE = 0.60
SCORE_PROPER_NOUN = 0.60
SCORE_NAME_PAIR = 0.70
# Prepositions that mostly come before a place; a model span right after one, in a message without case,
# is not taken for a name on the model's word alone ("från eriksberg", "bor i gottsunda").
_PLACE_PREPOSITIONS = frozenset("från fran i på pa vid mot utanför utanfor from in at near".split())
MAX_NAME_TOKENS = 4

# Endings of English verb forms and adverbs and of Swedish supines ("forgotten" aside): "moved", "leaving",
# "slängt", "gjort", "sagt". Names the lists know are not held to them.
_VERB_LIKE = ("ed", "ing", "ly", "gt", "kt", "rt", "lt", "pt")
_WORDS = re.compile(r"[^\W\d_]+")
_PARTS = re.compile(r"[-'’]")
_FOLD = str.maketrans("åäöé", "aaoe")
_CONTACT = re.compile(r"[\d+()\-–]+|\S+@\S+")  # a token of a phone number or an e-mail address
_PERSONNUMMER_SHAPE = re.compile(r"(?:\d{6}|\d{8})[-+]?\d{4}")
# Names whose other sense opens a clause before a verb ("max är 5", "inga har svarat", "lucia firas", "tor
# kl 10", "sten kan användas", "milan är …"): never found by the clause-subject rule.
_NOT_CLAUSE_SUBJECTS = frozenset(
    """
    max inga inge hans mina dag dan bo tom my may else mark bill august maj juni june said del love lova uno
    junior li lo thi kaj kai bror fred frank tor lucia jean ana karl stig sten rosa rose milan urban viking
    iris saga nova luna stella florence viola malva svea tilde lily britt
    """.split()
)
# The verbs after the subject of a clause: those after a name that opens a message, speech verbs, and chat
# spellings without å, ä and ö.
# What only a person does, said or asked: after a first name that is also a word ("sol glömde", "mark
# sa"), the word is the name. Weather and seasons do not forget, promise or phone.
_PERSON_ONLY_VERBS = frozenset(
    (
        "sa sade säger sager tycker tyckte frågar fragar frågade fragade glömde glomde svarar svarade lovade "
        "lovar ringde ringer skrev skriver mejlade berättade berättar förklarade meddelade undrar undrade "
        "said says told forgot asks asked promised called phoned wrote emailed replied explained wonders"
    ).split()
)
_CLAUSE_VERBS = SUBJECT_VERBS | frozenset(
    (
        "sa sade säger sager tycker tyckte frågar fragar frågade fragade glömde glomde öppnar oppnar svarar "
        "ar gar mar behover maste onskar said says told forgot does did must should may might "
        # what a person in charge did or said: "azad lovade svar förra veckan", "lina ringde igår"
        "lovade lovar lovat ringde ringer skrev skriver mejlade svarade berättade berättar förklarade "
        "meddelade lämnade hämtade promised called wrote emailed replied explained"
    ).split()
)
_SELF = frozenset({"jag", "ja", "i"})  # the writer, joined to a name that opens the message
_IS = frozenset({"is", "was", "är", "ar", "var"})  # after "the name on it …"
# What is said of a name rather than the name: "my name is spelled wrong", "mitt namn är felstavat"
_SAID_OF_A_NAME = frozenset(
    "spelled spelt misspelled misspelt written wrong wrongly incorrect incorrectly missing listed registered "
    "shown printed not still also correct right fel felstavat felstavad felskrivet felskrivna stavat skrivet "
    "rätt ratt inte också även".split()
)
_CLAUSE_BREAKS = frozenset({".", "!", "?", ",", ";", ":"})  # no clause runs across these
_POSSESSIVE_WORDS = frozenset(POSSESSIVES)
_QUESTION_AUX = frozenset(
    "can could may might will would should shall does did do must kan får far ska skall måste maste kommer "
    "vill borde".split()
)
# How family names end in the naming traditions Swedish municipalities meet (Nordic compounds and patronyms,
# Finnish, Spanish and Portuguese, Slavic, Turkish): after a found first name in a message without case,
# a word that ends so and is no word of ours is the family name ("mirja hämäläinen", "maria gonzález").
SURNAME_ENDINGS = tuple(
    (
        "son sson dotter berg ström strom qvist kvist quist lund gren holm blad stedt fors mark "
        "nen inen mäki maki salo koski "
        "ez "
        "ić vić vic cic ski ska sky ov ova ev eva enko chuk uk "
        "oğlu oglu"
    ).split()
)
_SURNAME_FOLLOWERS = COORDINATORS | _CLAUSE_BREAKS | SUBJECT_VERBS | VERBS_AFTER_A_PERSON
# The writer named beside someone: "hos milica och mig", "björn och jag är …", "me and dobrila".
_WRITER_AFTER = {"och": frozenset({"jag", "mig", "mej"}), "and": frozenset({"me", "i"})}
_WRITER_BEFORE = {"och": frozenset({"jag", "mig", "mej"}), "and": frozenset({"me"})}
_COPULAS = _IS | {"am", "i'm", "i’m", "blev"}
_NAMING_COPULAS = _IS | {"vara", "blir", "heter"}  # "chauffören brukar vara Jukka"
# Particles inside family names (Dutch, German, Swedish nobility, Arabic, Romance): "de Vries", "von Platen",
# "af Klint", "al Hassan", "da Silva", "van der Berg".
NAME_PARTICLES = frozenset(
    "de van von af al el der den da di du dos das del della la le ter ten bin ben".split()
    + "بن ابن بنت أبو ابو".split()  # Arabic: "محمد بن عبدالله", "أبو محمود"
)
# Latin letters that neither Swedish nor English writes (Sami á č đ ŋ š ŧ ž; Slavic, Baltic, Hungarian,
# Romanian, Turkish, Spanish and Portuguese ones), French loan-word accents left out ("crème", "café"): in
# a Swedish message a word that has one is a foreign name, of a person or of a place
_NAME_LETTERS = frozenset("áčćđŋšŧžłńśźżřěůďťňőűğşıășțñãõíóúýāēīūėęąų")
# Before a place, not a person: "flyttade från Łódź Kaliska", "i São Paulo"
_BEFORE_A_PLACE = frozenset("i från till mot via genom nära utanför in from to near through".split())
# Particles that are no Swedish or English word, so only a family name follows: "von Platen", "af Ugglas"
_NOBLE_PARTICLES = frozenset({"von", "af"})
# Arabic and Berber family names written with their particle joined by a hyphen: "al-Sayed", "el-Khoury",
# "abu-Bakr", "ibn-Rushd", "ould-Abdallah", "ait-Ali". No Swedish or English word is written so.
_JOINED_PARTICLE = re.compile(r"(?:al|el|abu|abd|ibn|bin|bint|ould|ait)-[^\W\d_]{3,}")
# South Slavic family names end in -ić or -ič written with the diacritic ("Petrović", "Kovačič"); no
# Swedish or English word does, whatever the case.
_SLAVIC_FAMILY_NAME = re.compile(r"[^\W\d_]{2,}i[ćč]")
_WE = frozenset({"vi", "oss", "we", "us"})
# Children named in a list after the word for them: "two children, amani and baraka", "barnen, ella och mio"
_CHILDREN_LISTED = frozenset(
    "barn barnen söner sönerna döttrar döttrarna tvillingar tvillingarna barnbarn barnbarnen "
    "children kids sons daughters twins grandchildren".split()
)
_INTRODUCING_PAIRS = frozenset({("jag", "är"), ("jag", "ar"), ("det", "är"), ("i", "am"), ("this", "is")})
_ROLE_OF = frozenset({"till", "åt", "på", "i", "to", "of", "at", "for"})  # "mamma till …", "lärare på …"
# English adverbs that stand between a subject and its verb ("my son often loses …"); most end in -ly
_ADVERBS_BEFORE_A_VERB = frozenset(
    "often usually sometimes always never already still also just even only ever seldom once twice first "
    "again later almost nearly rather quite också även bara".split()
)
_I_CONTRACTED = ("i'", "i’")  # "I'm", "I'll": the pronoun, capitalised wherever it stands
_WHEN_WORDS = frozenset("today yesterday tonight idag igår imorse ikväll imorgon tomorrow".split())
# Months of the stop list that are also first names: only a name between a relative and a verb
_MONTHS = frozenset({"april", "june", "juni", "july", "august", "augusti"})
_I_AM = frozenset({"i'm", "i’m", "am"})  # the end of an introduction after a greeting
_INTRODUCED_FOLLOWERS = frozenset({"from", "från", "here", "här", "och", "and", "-", "igen", "again"})
_GREETING_WORDS = frozenset("hej hejsan hallå tjena hi hello hey".split())
_INTRO_ENDS = frozenset({"är", "ar", "is", "i'm", "i’m", "am", "it's", "its"})
# Owners in an English genitive that are not names ("today's", "everyone's").
_OWNERS_NOT_NAMES = frozenset(
    (
        "today tomorrow yesterday tonight everyone everybody someone somebody anyone anybody nobody one "
        "other another children people women men world year week month day night life"
    ).split()
)
# Family names in Arabic script after a found name: Arabic "al-" with the nisba ending ("الحسيني",
# "القحطاني"), Persian with the "-i" ending ("احمدی", "کریمی", "نوروزی").
_SCRIPT_FAMILY_NAME = re.compile(r"ال[\u0621-\u064a]{2,}[يى]|[\u0621-\u06cc]{3,}ی")
# "I am …" around a name: Persian "من … هستم", Kurmanji "ez … im".
_I_AM_AROUND = {"هستم": "من", "im": "ez"}
# Titles of address: after them only a name ("herr becker", "frau müller", "señora lópez").
_TITLES = frozenset("herr mr mrs ms miss frau señor señora sr sra monsieur madame".split())
_HIS_HER = frozenset({"hans", "hennes", "hens"})
_PERSON_PRONOUNS = frozenset({"han", "hon", "hen", "he", "she"})
_REFLEXIVE_POSSESSIVES = frozenset({"sin", "sitt", "sina"})
# What only a person does, in a relative clause right after a name: "tekle som jobbar på boendet".
_PERSON_CLAUSE_VERBS = frozenset("jobbar arbetar jobbade arbetade bor bodde works worked lives lived".split())
_SCHOOL_CLASS = re.compile(r"[0-9][a-zåäö][.,!?]*")  # "4b", "2C.": a school class, year and letter
_SCHOOL_YEARS = frozenset({"åk", "ak", "årskurs", "arskurs", "klass", "year", "grade"})
_PREFIXED_NAME = re.compile(r"[dlmo]['’][^\W\d_]{3,}")
# Institutions named "<name> skola", "<name> äldreboende" (the noun right after the name).
_INSTITUTION_AFTER = frozenset(
    "skola förskola grundskola gymnasium äldreboende vårdcentral vårdboende gruppboende korttidsboende "
    "servicehus bibliotek kyrka församling sporthall idrottshall simhall ishall badhus fritidsgård "
    "fritidshem school preschool library church".split()
)
# Businesses and clubs named "Restaurang <name>", "IK <name>" (the word right before the name, or its first).
# Also the Swedish retail and service chains whose shops are named by the chain and a store format or a
# place ("ICA Kvantum", "Coop Forum", "Apotek Hjärtat"); a known first name after one is still kept ("Anna
# i kassan på ICA Maxi"). Not "Willys": it is also the genitive of a first name.
_BUSINESS_BEFORE = frozenset(
    "restaurang restaurant café cafe kafé hotell hotel pizzeria bageri konditori salong butik förening "
    "föreningen klubb brf stiftelsen ik bk ff sk gif "  # not "if": an English word
    "ica coop hemköp lidl netto citygross apotek apoteket kronans systembolaget biltema jula bauhaus "
    "byggmax beijer stadium intersport elgiganten ikea okq8 preem ingo postnord".split()
)
# The municipality's own institutions and their units, named by a word right after them: "Förskolan
# Pippi", "Kulturhuset Ebba", "Vårdcentralen Norrby", "avd Humlan", "fritids Ugglan" (blind chat set 11,
# half A). Unlike a business ("Salong Nina" is named after its owner), a first name here is the
# institution's own name. The institution word must be capitalised (a proper name's first word), except
# for the unit words, which are written in lower case before the unit's name.
_INSTITUTION_BEFORE = frozenset(
    "förskolan förskola skolan skola fritidshemmet fritidsgården kulturhuset kulturskolan vårdcentralen "
    "sportklubben idrottsföreningen idrottsklubben simklubben simhallen sporthallen ishallen badhuset "
    "äldreboendet boendet gruppbostaden gruppboendet servicehuset träffpunkt träffpunkten biblioteket "
    "stadsbiblioteket familjecentralen ungdomsgården preschool kindergarten".split()
)
_UNIT_WORDS = frozenset("avd avdelning avdelningen fritids fritidsavdelningen ward unit".split())
# A sport or a club form written after a club's name ("Exempelstad Basket", "Viking IF"); the two-letter
# forms only in capitals ("IF" is an English word).
_CLUB_AFTER = frozenset(
    "basket fotboll hockey innebandy handboll bandy volleyboll friidrott simklubb ridklubb tennisklubb "
    "golfklubb if ik bk ff fk hk sk gif ifk".split()
)
# The definite form of a compound that names a building, an office or a part of town ("Medborgarkontoret",
# "Sjöstaden", "Stadsbiblioteket"): a common noun, capitalised as a proper name, never a person.
_DEFINITE_PLACE_ENDINGS = (
    "kontoret huset hallen skolan centralen biblioteket gården parken torget badet boendet hemmet "
    "staden byn viken dalen berget holmen ängen vallen kyrkan stationen området"
).split()
# The heads of compounds that name an institution or a building, capitalised before its name: "Dagcenter
# Solsidan", "Scoutkåren Vildmarken", "Hemmet Bryggan", "Arbetscenter Väst", "P-huset Kvarteret Loket"
# (half A of blind PII chat set 12).
_INSTITUTION_HEADS = (
    "center",
    "centret",
    "centrum",
    "hemmet",
    "kåren",
    "huset",
    "gården",
    "boendet",
    "klubben",
    "föreningen",
    "kvarteret",
    "hallen",
    "verket",
    "kontoret",
    "förbundet",
)


# The heads of compounds that name a person by their work, in the definite form ("elevassistenten Mirja",
# "skolbusschauffören", "nattsköterskan"): a role before a name, as the listed roles are (half A of blind
# PII chat set 12). The compound must be longer than its head.
_ROLE_HEADS = (
    "assistenten",
    "läraren",
    "pedagogen",
    "handläggaren",
    "chauffören",
    "ledaren",
    "sekreteraren",
    "skötaren",
    "sköterskan",
    "terapeuten",
    "vårdaren",
    "tränaren",
    "samordnaren",
    "inspektören",
)


def _compound_role(low: str) -> bool:
    """Whether ``low`` is a compound of a role's head in the definite form ("elevassistenten")."""
    return any(low.endswith(head) and len(low) > len(head) + 2 for head in _ROLE_HEADS)


def _institution_compound(low: str) -> bool:
    """Whether ``low`` is a compound (or the bare definite noun) with an institution's head."""
    return any(low.endswith(head) for head in _INSTITUTION_HEADS)


# A case number after its series: a year, then a running number ("BoA 2026-0393", "BN 2026/1452").
_CASE_NUMBER = re.compile(r"(?:19|20)\d\d[-/]\d{2,6}[.,]?")
# A property designation: a name and "block:unit" ("Rosendal 7:4", "Lilla Ek 1:3").
_PROPERTY_UNIT = re.compile(r"\d{1,4}:\d{1,4}")
# Swedish company forms written after a business's name ("Exempelstads Bostads AB", "Berg & Son HB").
_COMPANY_FORMS = frozenset("ab hb kb aktiebolag aktiebolaget handelsbolag kommanditbolag".split())


def _company_form(tok: Tok) -> bool:
    """A company form: "AB", "HB", "KB" in capitals (Tigrinya "ab" is a preposition), or spelt out."""
    return tok.low in _COMPANY_FORMS and (len(tok.low) > 2 or tok.text.isupper())


# The side and size words of Swedish place names ("Västra Ljungby", "Lilla Edet", "Övre Soppero").
_PLACE_SIDE_WORDS = frozenset(
    "norra södra sodra östra ostra västra vastra övre ovre nedre stora lilla".split()
)
# Prepositions of being inside or just outside a place, and the feelings that take "i" before a person
# ("kär i Nora").
_INSIDE_PLACE = frozenset({"i", "utanför"})
_FEELING_IN = frozenset({"kär", "förälskad", "förtjust", "intresserad"})
# "heter" names its subject; these subjects are no person ("föreningen heter …", "hunden heter …").
_NAMING_VERBS = frozenset("heter hette kallas called named".split())
_NAMED_THINGS = frozenset(
    "förening föreningen företag företaget firma firman bolag bolaget restaurang restaurangen butik "
    "butiken affär affären klubb klubben lag laget band bandet kör kören projekt projektet skola skolan "
    "förskola förskolan gata gatan väg vägen hund hunden katt katten häst hästen kanin kaninen "
    "fastighet fastigheten tomt tomten boende boendet hem hemmet "
    "company business shop club team dog cat horse property".split()
)
# What identifies one person, written right after the words that name them: "för gullan qvarnström
# (19380415-2384)", "kontakt dilan, dilan.k@…", "jovana ilić, 070-…". A personnummer (10 or 12 digits, a
# hyphen, plus or space before the last four), an e-mail address, or a Swedish phone number (0 or +46, then
# at least seven more digits), after nothing but a comma, a colon or an opening bracket.
_IDENTIFIER_PATTERN = (
    r"(?:"
    r"(?:19|20)?\d{2}(?:0[1-9]|1[0-2])\d{2}[-+ ]?\d{4}(?!\d)"  # a month: no organisation number
    r"|[^\s@,;:()<>]+@[^\s@,;:()<>]+\.[^\W\d_]{2,}"
    r"|(?:\+46|0)[\s-]?\d(?:[\s-]?\d){6,10}(?!\d)"
    r"|\+[1-9]\d{0,2}[\s-]?\d(?:[\s-]?\d){6,11}(?!\d)"  # a foreign number with its country code
    r")"
)
# The identifier may have its label between ("selam tekle pnr 2018…", "anna berg tel 070 …"), and a
# pupil's school year before it ("för selam tekle åk 2 pnr …"); a sole trader's organisation number is the
# owner's personnummer, so it too needs a month (blind chat set 11, half A).
_IDENTIFIER_AFTER = re.compile(
    r"\s*[,(:]?\s*(?:(?:åk|årskurs|klass|class|year)\s*\d{1,2}[a-z]?\s*,?\s*)?"
    r"(?:(?:pnr|personnr|personnummer|tel|tfn|telefon|mobil|mob|nr|e-post|epost|mejl|mail|email|orgnr|org\.\s?nr"
    r"|organisationsnummer)\.?\s*:?\s*)?" + _IDENTIFIER_PATTERN,
    re.IGNORECASE,
)
# Words that introduce the person an identifier then follows: "… kontakt dilan, …", "står på jovana ilić, …".
_BEFORE_IDENTIFIED = frozenset(
    "för på till åt kontakt kontaktperson kontakta heter namn sökande for to contact i'm i’m am".split()
)
# What labels an identifier is no name, whatever our texts hold: "och mobil 070 …", "hemnr: 08 …".
_IDENTIFIER_LABELS = frozenset(
    "nr nummer pnr persnr personnr personnummer samordningsnummer tel telnr telefon hem hemma jobb jobbet "
    "arbete kontor kontoret växel sms whatsapp signal e-post epost mejl mail email e-mail adress id "
    "phone mobile cell work home number tfn ph mob".split()
)
_IDENTIFIER_LABEL_STARTS = ("tel", "mobil", "mejl", "mail", "e-post", "epost", "nummer", "hemnr", "jobbnr")
# The same identifiers anywhere (the name may follow them: "… hur ansöker jag? 19…-4419 päivi").
_IDENTIFIER = re.compile(_IDENTIFIER_PATTERN)
# A home address after the name ("kofi mensah bergsgatan 12", "päivi på sjövägen 3"): one word that ends
# in a street word, then the house number.
_STREET_ENDINGS = tuple(
    "vägen vagen gatan gränd grand gränden granden stigen backen torget allén allen platsen leden slingan "
    "stråket straket gången gangen".split()
)
# The local part of an e-mail address: people build it from their names ("tesfay.gebremedhin@…").
_EMAIL_LOCAL = re.compile(r"([^\s@,;:()<>]+)@[^\s@,;:()<>]+\.[^\W\d_]{2,}")
_EMAIL_FOLD = str.maketrans("åäöı", "aaoi")
# What states a person's age right after the name: "farhiya 7 år ska …", "my son river is 6".
_AGE_WORDS = frozenset("år års åring åringen years year yrs yo".split())
_VOWELS = frozenset("aeiouy")
# Words before "är"/"is" that introduce a name rather than describe someone ("det är sara", "this is sara").
_INTRODUCERS = frozenset("det detta här där jag it this that here there name namn namnet".split())
# A slash glued to a word on either side, between two fields: "hed/870225-…", "…28/lisahed@…".
_FIELD_SLASH = re.compile(r"(?<=[^\W\d_])/(?=\S)|(?<=\S)/(?=[^\W\d_])")
_PLURAL_ENDINGS = ("arna", "orna", "erna")  # a Swedish plural in the definite form ("plastpåsarna")
# Street words that are also what a person has, before where it is: "Noas plats på förskolan", "Eriks plan
# för skolan" ("Martins väg är avstängd" is a street).
_OWNED_STREET_WORDS = frozenset({"plats", "plan"})
_WHERE_IT_IS = frozenset("på i hos vid inom för till".split())


def _opens_after(toks: list[Tok], i: int) -> bool:
    """Whether ``toks[i]`` opens a clause.

    The first word, a line's first word (a row of a pasted list: "STEN AHL, 520814-…"), or a word after a
    break or a "kr." that ends one.
    """
    return (
        i == 0
        or toks[i].sentence_start
        or toks[i - 1].text in _CLAUSE_BREAKS
        or toks[i - 1].text[-1] in ".!?"
    )


def _address_after(toks: list[Tok], i: int) -> bool:
    """Whether a street address follows ``toks[i]``, perhaps after "på", "at" or a comma ("på sjövägen 3")."""
    k = i + 1
    if k < len(toks) and toks[k].low in {"på", "at", ","}:
        k += 1
    return k + 1 < len(toks) and toks[k].low.endswith(_STREET_ENDINGS) and toks[k + 1].text[:1].isdigit()


# A form's name fields, written at the start of a line without a colon ("namn hodan warsame").
_FORM_NAME_LABELS = frozenset("namn förnamn efternamn name sökande kontaktperson vårdnadshavare".split())


def _opens_line(text: str, toks: list[Tok], k: int) -> bool:
    """Whether ``toks[k]`` is the first token of a line."""
    return k == 0 or "\n" in text[toks[k - 1].end : toks[k].start]


def _is_identifier_label(tok: Tok) -> bool:
    """Whether ``tok`` labels an identifier ("tfn", "mobil", "pnr"): no name, whatever our texts hold."""
    return tok.low in _IDENTIFIER_LABELS or tok.low.startswith(_IDENTIFIER_LABEL_STARTS)


_APOSTROPHES = re.compile(r"['’]")  # inside a name: "o'connor", "d’angelo"
_WRITER_OBJECTS = frozenset({"mig", "mej", "me"})
_THE_WRITER = _SELF | _WRITER_OBJECTS  # "ring mig, petri, på …"
_PLACE_WORDS = frozenset({"här", "here"})  # "Anna här" confirms a name; "… i park here" does not


def _vowelless(low: str) -> bool:
    """A lower-case word in Latin letters without a vowel: a chat abbreviation ("ngn", "mkt"), no name."""
    return bool(low) and all("a" <= c <= "z" for c in low) and not _VOWELS.intersection(low)


def _caseless_script(word: str) -> bool:
    """A word of a script without capital letters (Arabic, Persian, Ge'ez …): case cannot mark a name."""
    return bool(word) and word[0].isalpha() and word[0].lower() == word[0].upper()


def _split_name_abbreviations(nlp: Language, lexicon: NameLexicon) -> None:
    """Drop the tokenizer's abbreviations that are also first names ("Max.", "Jan.").

    The Swedish tokenizer keeps "max." (maximum) and "jan." (January) as one token with the stop, so a
    name that ends a sentence, "Pojken heter Max.", was no word at all. Split, the abbreviation loses
    nothing: its stop becomes a token of its own.
    """
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    rules = tokenizer.rules or {}
    kept = {k: v for k, v in rules.items() if not (k.endswith(".") and lexicon.is_first_name(k[:-1]))}
    if len(kept) < len(rules):
        tokenizer.rules = kept


# Field separators of pasted tables and exports: "Ida Holm;040312-2369", "1;Bo Lindkvist;Bankeryd",
# "\"Kevin Lund\",\"+46 …\"", "Eva Berg|070…". The Swedish tokenizer keeps them inside a word; a comma
# between two split quotes is then a token of its own as well.
_FIELD_SEPARATORS = (r'[;|"]',)


def _split_field_separators(nlp: Language) -> None:
    """Make ``;``, ``|`` and ``"`` tokens of their own, so a name in a pasted row is a word of its own.

    Without it "Holm;040312-2369;0705512290" was one token: the surname of a member list was no word, and
    half the name stayed in clear. Split, the separator ends a field as a stop ends a sentence.
    """
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    infixes = [*(nlp.Defaults.infixes or ()), *_FIELD_SEPARATORS]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@dataclass(frozen=True)
class PersonSpan:
    """A person name at ``text[start:end]`` with a score and the kind of evidence (never the value)."""

    start: int
    end: int
    score: float
    reason: str


def _index_cues(cues: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """Group cue phrases by their last token for a quick look-up."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for cue in cues:
        index.setdefault(cue[-1], []).append(cue)
    return index


_STRONG_INDEX = _index_cues(STRONG_LEFT)
_RELATION_INDEX = _index_cues(RELATION_LEFT)
_WEAK_INDEX = _index_cues(WEAK_LEFT)
# Every word that can end a left cue: most tokens are not preceded by one.
_CUE_ENDS = (
    frozenset(_STRONG_INDEX)
    | frozenset(_RELATION_INDEX)
    | frozenset(_WEAK_INDEX)
    | NAMING_VERBS
    | AGENT_PREPOSITIONS
)


class PersonFinder:
    """Combine the NER pipeline with cue and lexicon rules; ``find`` returns person spans."""

    def __init__(
        self,
        nlp: Language,
        lexicon: NameLexicon,
        warm_texts: Iterable[str] = (),
        list_anchor: float = DEFAULT_SCORE_THRESHOLD,
    ) -> None:
        """Use a loaded pipeline and lexicon; ``warm_texts`` are project texts to pre-tokenise.

        ``list_anchor`` is the redactor's score threshold: a name below it never anchors a list.
        """
        self.nlp = nlp
        self.list_anchor = list_anchor
        self.lexicon = lexicon
        warm_texts = list(warm_texts)
        # Words of the bot's own texts (articles, NLU examples) that are not names: ordinary words citizens
        # share with the content ("har min mamma rätt till …"), never taken for a name on shape alone.
        words = {word for line in warm_texts for word in _WORDS.findall(line.lower())}
        words |= {word.translate(_FOLD) for word in words}  # "ratt" as citizens type "rätt"
        self.vocabulary = frozenset(word for word in words if not lexicon.is_name(word))
        # The same words as citizens often type them, without å/ä/ö ("rok" for "rök")
        self.folded_vocabulary = frozenset(word.translate(_FOLD) for word in self.vocabulary)
        self._ner = build_ner(nlp)
        _split_name_abbreviations(nlp, lexicon)
        _split_field_separators(nlp)
        trim_lexeme_attributes(nlp)
        warm_vocabulary(nlp, warm_texts)
        # spaCy memory zones must not overlap, so concurrent callers take turns.
        self._lock = threading.Lock()
        # Whether a word is a known name never changes, and a long message asks about the same words
        # often: the answers are remembered while one message is read (``find`` forgets them after).
        self._known_memo: dict[tuple[str, bool], bool] = {}

    @classmethod
    def load(
        cls,
        model_dir: Path = DEFAULT_MODEL_DIR,
        warm_texts: Iterable[str] = (),
        list_anchor: float = DEFAULT_SCORE_THRESHOLD,
    ) -> PersonFinder:
        """Load the pipeline and ``names.json`` from ``model_dir``."""
        lexicon = NameLexicon.load(model_dir)
        return cls(load_pipeline(model_dir), lexicon, warm_texts, list_anchor)

    # --- tokens and cues -------------------------------------------------------------------------

    def _tag(self, text: str, caseless: bool) -> Tagged:
        """Tokenise and tag ``text`` inside a spaCy memory zone (see ``guardrails.ner.tokens``)."""
        with self._lock, self.nlp.memory_zone():
            return tag(self.nlp, self._ner, text, caseless)

    @staticmethod
    def _name_is(toks: list[Tok], verb: int) -> bool:
        """Whether "name"/"namnet" comes one to four words before ``toks[verb]`` ("is"/"är") in its clause.

        "the name on it is …", "namnet på kortet är …", "the name on the application was …": the word
        after is the name, as after "my name is". Not across a stop or a comma.
        """
        for j in range(verb - 1, max(-1, verb - 5), -1):
            low = toks[j].low
            if low in _CLAUSE_BREAKS:
                return False
            if low in {"name", "namnet"} and j < verb - 1:
                return True
        return False

    @classmethod
    def _left_cue(cls, toks: list[Tok], i: int) -> int:
        """Strength of a cue phrase that ends right before token ``i`` (0 = none)."""
        if i == 0:
            return 0
        last = toks[i - 1].low
        if last in _IS and toks[i].low in _SAID_OF_A_NAME:
            return 0  # "my name is spelled wrong in your system": what is said of the name follows
        if last in CUE_ADVERBS and i >= 2:
            return cls._left_cue(toks, i - 1)  # "kontakta gärna …"
        if last in _IS and cls._name_is(toks, i - 1):
            return STRONG  # "the name on it is …", "namnet på ansökan är …"
        if (
            i >= 3
            and last in PERSON_WORDS
            and toks[i - 3].low in _POSSESSIVE_WORDS
            and toks[i - 2].is_word
            and toks[i - 2].low not in STOP_WORDS
        ):
            return RELATION  # "my elderly mother …", "min äldsta son …", "vår nya handläggare …"
        if last not in _CUE_ENDS:
            return RELATION if _compound_role(last) else 0  # "elevassistenten Mirja", "fritidsledaren …"
        for strength, index in ((STRONG, _STRONG_INDEX), (RELATION, _RELATION_INDEX)):
            for cue in index.get(last, ()):
                n = len(cue)
                if i >= n and tuple(t.low for t in toks[i - n : i]) == cue:
                    if strength == RELATION and cue[-1] in _I_AM and not cls._introduced(toks, i):
                        return WEAK  # "hi, i'm sorry to …": a predicate, not a name
                    return strength
        before = toks[i - 2].low if i >= 2 else ""
        if last in NAMING_VERBS and before not in QUESTION_WORDS:
            return STRONG  # "grannen heter …", "en pojke som heter …", but not "vad heter …"
        if (
            last in AGENT_PREPOSITIONS
            and len(before) >= 5
            and before.endswith(PASSIVE_ENDINGS)
            and before not in STOP_WORDS
        ):
            return RELATION  # "boken lånades av …", "was borrowed by …"
        for cue in _WEAK_INDEX.get(last, ()):
            n = len(cue)
            if i >= n and tuple(t.low for t in toks[i - n : i]) == cue:
                return WEAK
        return 0

    def _name_before_its_verb(self, toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]``, right after a relative or a role, is a name before the person's verb.

        A known name may also be a word ("bill", "june", "lo", "max"): what comes next is a verb of a
        person ("sanna har slutat", "june wants"; an English adverb may stand between), the main verb of a
        question that opened with its own verb ("can my son bill get …"), or "och" and a possessive ("kusin
        lo och hennes släp"). A first name of ``WORD_NAMES`` ("vilja", "sol") qualifies before the verb or
        before when it happened ("my dad bill today"), and a word no list holds that is neither ours nor
        an adverb before a verb of ``VERBS_AFTER_A_PERSON``, after "my …" or a definite role. A word of
        the stop list never is: "my son will get …" keeps its verb.
        """
        tok = toks[i]
        stop = tok.low in STOP_WORDS and tok.low not in _MONTHS  # "my daughter june wants …"
        if i + 1 >= len(toks) or not tok.is_word or stop or tok.low in PERSON_WORDS:
            return False
        if tok.low.endswith(NON_PERSON_SUFFIXES):
            return False
        after = toks[i + 1]
        if after.low in _ADVERBS_BEFORE_A_VERB and i + 2 < len(toks):
            after = toks[i + 2]  # "my husband mark also wants …"
        if tok.low in WORD_NAMES and (after.low in SUBJECT_VERBS or after.low in VERBS_AFTER_A_PERSON):
            return True  # "min dotter vilja har fått avslag": a first name that is also a word of ours
        if tok.low in WORD_NAMES and after.low in _WHEN_WORDS:
            return True  # "rude to my dad bill today": the name, then when it happened
        if not self.lexicon.is_name(tok.low):
            # "my son river lost his card": a name no list holds, between "my son" and a verb, where an
            # English adverb could stand too ("my son often loses …") but no word of ours
            # after "my …" or a definite role ("tolken farhad var …", "grannen …")
            owned = i >= 2 and toks[i - 2].low in _POSSESSIVE_WORDS
            owned = owned or (toks[i - 1].low in PERSON_WORDS and toks[i - 1].low.endswith(("en", "n")))
            return owned and after.low in VERBS_AFTER_A_PERSON and self._unlisted_subject(tok)
        if after.low in SUBJECT_VERBS or after.low in VERBS_AFTER_A_PERSON:
            return True
        if after.low in {"och", "and"}:
            return i + 2 < len(toks) and toks[i + 2].low in _POSSESSIVE_WORDS
        return self._inverted_question(toks, i) and after.is_word and after.low not in STOP_WORDS

    def _full_name_before_its_verb(self, toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]`` and the next word, after "my …", are a first and a family name.

        After a relative or a role with a possessive, before the person's verb, a clause break or
        "och"/"and" (half A of blind PII chat set 12: "min dotter juni alm vill …", "our son mark
        eriksson-bell needs …"). The first word is a known first name (also one that is a word: "juni",
        "mark") or a word that is neither ours nor a function word; the second is no word of ours, no
        verb and no adverb, so "my son will probably call" and "min son ofta glömmer" keep their verbs.
        """
        owned = i >= 2 and toks[i - 2].low in _POSSESSIVE_WORDS
        owned = owned or (i >= 3 and toks[i - 3].low in _POSSESSIVE_WORDS)  # "our adult son hope ekwueme, …"
        if not owned or i + 1 >= len(toks):
            return False
        first, family = toks[i], toks[i + 1]
        if not (first.is_word and family.is_word) or first.low in PERSON_WORDS:
            return False
        after = toks[i + 2] if i + 2 < len(toks) else None
        closes = (
            after is None
            or after.low in _CLAUSE_BREAKS
            or after.low in {"och", "and"}
            or after.low in SUBJECT_VERBS
            or after.low in VERBS_AFTER_A_PERSON
            or (self._inverted_question(toks, i) and after.is_word and after.low not in STOP_WORDS)
        )
        if not closes:
            return False
        first_name = self.lexicon.is_first_name(first.low) or self._unknown_word(first)
        low = family.low
        family_name = (
            len(low) >= 2
            and not self._is_stop(family)
            and not self._our_word(family)
            and low not in PERSON_WORDS
            and low not in SUBJECT_VERBS
            and low not in VERBS_AFTER_A_PERSON
            and low not in _ADVERBS_BEFORE_A_VERB
            and not low.endswith("ly")
            and not _vowelless(low)
        )
        return first_name and family_name

    def _unlisted_subject(self, tok: Tok) -> bool:
        """Whether ``tok``, which no name list holds, may be a name before a verb (not ours, no adverb)."""
        low = tok.low
        return (
            len(low) >= 3
            and self._unknown_word(tok)
            and low not in SUBJECT_VERBS
            and low not in VERBS_AFTER_A_PERSON
            and not low.endswith("ly")
            and low not in _ADVERBS_BEFORE_A_VERB
        )

    @staticmethod
    def _introduced(toks: list[Tok], i: int) -> bool:
        """Whether the word at ``i``, after "hi, i'm", is introduced as a name.

        A name closes its clause, perhaps with a family name ("aino, 15 …", "oksana kovalenko from …");
        a predicate goes on ("sorry to bother", "tired of waiting").
        """
        for k in (i + 1, i + 2):
            after = toks[k].low if k < len(toks) else "."
            if after in _CLAUSE_BREAKS or after in _INTRODUCED_FOLLOWERS:
                return True
            if k == i + 2 or not toks[k].is_word or after in STOP_WORDS:
                return False
        return False

    @staticmethod
    def _right_cue(toks: list[Tok], end: int) -> bool:
        """Whether the words after a name confirm it ("… sa att", "kan X ringa", "X på bygglov sa")."""
        if end < len(toks) and toks[end].low in WEAK_RIGHT:
            return True
        bridged = end + 2
        return (
            bridged < len(toks)
            and toks[end].low in RIGHT_CUE_BRIDGE
            and toks[end + 1].is_word
            and toks[bridged].low in WEAK_RIGHT
            and toks[bridged].low not in _PLACE_WORDS
        )

    # --- token tests -----------------------------------------------------------------------------

    def _known(self, word: str, other_lists: bool = True) -> bool:
        """A known first or last name; capitalised words also in the genitive ("Annas", not "klass").

        ``other_lists``: whether names known only from the other-language lists count.
        """
        known = self._known_memo.get((word, other_lists))
        if known is None:
            known = remember(self._known_memo, (word, other_lists), self._known_uncached(word, other_lists))
        return known

    def _known_uncached(self, word: str, other_lists: bool) -> bool:
        lex = self.lexicon
        low = word.lower()
        if lex.is_name(low) and (other_lists or not lex.is_other_name(low) or not self._genitive(low)):
            return other_lists or not lex.is_other_name(low)
        if self._genitive(low):
            # The genitive of a first name, also in lower case: "saras mentor", "görans mat"; also where the
            # genitive is itself a name of another language ("eriks", "johans", "alis").
            return other_lists or not lex.is_other_name(low[:-1])
        if word[:1].isupper() and low.endswith("s") and len(low) > 2 and lex.is_name(low[:-1]):
            return other_lists or not lex.is_other_name(low[:-1])
        return False

    def _genitive(self, low: str) -> bool:
        """Whether ``low`` is the genitive of a first name that is not also a word ("eriks", not "klass")."""
        lex = self.lexicon
        return (
            low.endswith("s")
            and len(low) > 3
            and low not in self.vocabulary  # "klass", "class" are words, not Klas's or Clas's
            and lex.is_first_name(low[:-1])
            and not lex.is_ambiguous(low[:-1])
        )

    def _known_tok(self, tok: Tok) -> bool:
        """A known name; one of the other-language lists only when capitalised or found by the model."""
        return self._known(tok.text, tok.is_cap or tok.model_person)

    def _stem(self, word: str) -> str:
        """The lower-cased name, without a genitive -s when only the stem is a known name."""
        low = word.lower()
        lex = self.lexicon
        if self._known(word) and (not lex.is_name(low) or (lex.is_other_name(low) and self._genitive(low))):
            return low[:-1]  # "saras", and "eriks", though Eriks is a name in another language's list
        return low

    def _is_stop(self, tok: Tok) -> bool:
        """A word that is not a name here: a stop word (unless a capitalised known name) or a place."""
        if tok.low.endswith(NON_PERSON_SUFFIXES) and not self._known(tok.text, other_lists=False):
            return True
        return tok.low in STOP_WORDS and not (tok.is_cap and self._known(tok.text, other_lists=False))

    def _first_after_cue(
        self, tok: Tok, strength: int, other_entity: bool = False, caseless: bool = False
    ) -> bool:
        """Whether ``tok`` can be the first word of a name that follows a cue of ``strength``.

        ``other_entity``: the model tagged the token as a place, organisation or other name.
        ``caseless``: the message has no case, so a capital letter cannot confirm a name after a relative
        or a role; a word there that does not look like an ordinary word does ("min fru shirin").
        """
        if strength in (STRONG, RELATION) and not caseless and tok.is_cap and not tok.sentence_start:
            # "my neighbour Will can …", "han heter Will": a capital inside a sentence after a relative, a
            # role or "heter" makes a name of a word of the stop list, except the pronoun "I"
            if (
                tok.is_word
                and tok.low in STOP_WORDS
                and tok.text != "I"
                and not tok.low.startswith(_I_CONTRACTED)
            ):
                return True
        if not tok.is_word or self._is_stop(tok):
            return False
        if strength == STRONG:
            return True
        if strength == RELATION and tok.is_cap:
            return not other_entity or self._known(tok.text)
        if strength == RELATION and (caseless or _caseless_script(tok.text)) and self._plain_name_word(tok):
            return True
        if (
            strength == RELATION
            and caseless
            and self._known(tok.text)
            and tok.low not in self.vocabulary
            and self._stem(tok.text) not in self.lexicon.function_words
        ):
            return True  # "familjen korhonen": a family name of another language's list, after a relative
        stem = self._stem(tok.text)
        if not self._known_tok(tok):
            return False
        return tok.is_cap or stem not in self.lexicon.function_words

    def _continues(self, tok: Tok) -> bool:
        """Whether ``tok`` continues a name (a capitalised word or a known, unambiguous-enough name)."""
        if not tok.is_word or self._is_stop(tok) or tok.sentence_start:
            return False
        if tok.is_cap or (tok.model_person and not tok.low.endswith(WORD_ENDINGS)):
            return True
        return self._known_tok(tok) and self._stem(tok.text) not in self.lexicon.function_words

    def _extend(self, toks: list[Tok], start: int, loose: bool = False, guarded: bool = False) -> int:
        """End index of a name that starts at ``start``, taking following name words along.

        ``loose`` (after a cue in a message without case): any word that does not look like a function
        word or an inflected form continues the name ("JAG HETER DRAGAN PETROVIĆ OCH …"). ``guarded``
        (after a relative or a role, a weaker cue than "heter"): nor like an English verb or a word of
        the bot's own vocabulary ("min son mateo needs …").
        """
        end = start + 1
        while end < len(toks) and end - start < MAX_NAME_TOKENS:
            tok = toks[end]
            if not self._continues(tok) and not (loose and self._loose_continuation(tok, guarded)):
                break
            end += 1
        return end

    def _plain_name_word(self, tok: Tok, surname: bool = False) -> bool:
        """A word in a caseless message that may be a name: no inflection, no frequent verb or adverb.

        ``surname``: in a signature, where no verb is expected, an English "-s" ending is allowed ("rojas").
        """
        if self._known_tok(tok) and self._stem(tok.text) not in self.lexicon.function_words:
            return True
        low = tok.low
        if _PREFIXED_NAME.fullmatch(low) and low != "o'clock":
            return True  # "o'connor", "d'angelo": no word of ours is written so
        return (
            tok.is_word
            and (len(low) >= 3 or (len(low) == 2 and "\u1200" <= low[0] <= "\u137f"))  # Ge'ez: syllables
            and not _vowelless(low)
            and low not in self.vocabulary
            and low not in VERBS_AFTER_A_PERSON
            and low not in self.lexicon.function_words
            # "catalina", "oksana"; but "-arna", "-orna", "-erna" make a Swedish plural ("plastpåsarna")
            and (not low.endswith(WORD_ENDINGS) or (low.endswith("na") and not low.endswith(_PLURAL_ENDINGS)))
            and not low.endswith(_VERB_LIKE)
            and (surname or not self._inflected_s(low))
            and not self._is_stop(tok)
        )

    def _inflected_s(self, low: str) -> bool:
        """Whether a word's final -s is an inflection: what is left is a word ("needs", "skolans").

        A name that ends in -s ("idris", "yonas", "yohannes") leaves no word of ours behind.
        """
        if not low.endswith("s"):
            return False
        # "that's" leaves "that", "needs" "need", "boxes" "box"; "chloe's" and "idris" leave no word
        stems = (low[:-1], low[:-2]) if low.endswith(("es", "'s", "’s")) else (low[:-1],)
        return any(
            stem in self.vocabulary or stem in self.lexicon.function_words or stem in STOP_WORDS
            for stem in stems
        ) or low.endswith(("ss", "ts"))

    def _message_subject(self, toks: list[Tok], found: Found, add: Add) -> None:
        """Names that open a message without case, before its verb: "leyla undrar om …", "somchai och nok …".

        Up to three names joined by "och"/"and" (each one or two words), perhaps closed by "jag"/"I"
        ("leyla och jag är …"), followed by a verb of
        ``SUBJECT_VERBS`` or by "här"/"here" and a comma or a full stop ("lina här, …"); every word must
        pass :meth:`_plain_name_word` (no ordinary word of the bot's vocabulary, no inflection) or be a
        known name.
        """
        first = 1 if toks and toks[0].low in {"hej", "hejsan", "hi", "hello", "hey", "ok", "okej"} else 0
        if first and len(toks) > 1 and toks[1].text in {",", "!", "."}:  # "hej! per här."
            first = 2
        names: list[tuple[int, int]] = []
        i = first
        while i < len(toks) and len(names) < 3:
            if names and toks[i].low in _SELF:  # "leyla och jag är …": the writer closes the list
                if i + 1 < len(toks) and toks[i + 1].low in SUBJECT_VERBS:
                    for start, stop in names:
                        add(start, stop, SCORE_LEXICON_LOWER, "subject of the message")
                return
            if toks[i].low in PERSON_WORDS:
                return  # "frugan och jag undrar …": a relative, not a name
            if i in found or not (self._plain_name_word(toks[i]) or self._known_tok(toks[i])):
                return
            end = i + 1
            if (
                end < len(toks)
                and toks[end].low not in SUBJECT_VERBS
                and toks[end].low not in COORDINATORS
                and not self._here(toks, end)
            ):
                if not (self._plain_name_word(toks[end], surname=True) or self._known_tok(toks[end])):
                    return
                end += 1  # a last name
            names.append((i, end))
            if end < len(toks) and (toks[end].low in SUBJECT_VERBS or self._here(toks, end)):
                for start, stop in names:
                    add(start, stop, SCORE_LEXICON_LOWER, "subject of the message")
                return
            if end < len(toks) and toks[end].low in {"och", "and", "&"}:
                i = end + 1
                continue
            return

    def _clause_subject(self, toks: list[Tok], add: Add, caseless: bool) -> None:
        """A first name that opens a clause and is followed by its verb: "per vill börja", "klara kan inte".

        A name that is also a word is found this way too: a bare preposition, verb or noun does not open a
        clause right before a finite verb. Names whose other sense does ("max är 5", "inga har svarat",
        "hans är större", "sten kan användas") are in ``_NOT_CLAUSE_SUBJECTS``. In a message with case the
        name must be capitalised.
        """
        for i in range(len(toks) - 1):
            tok = toks[i]
            if not tok.is_word or not (caseless or tok.is_cap):
                continue
            if (
                tok.low in WORD_NAMES
                and toks[i + 1].low in _PERSON_ONLY_VERBS
                and self._opens_clause(toks, i)
            ):
                # "men sol glömde solkräm": what only a person does makes a word-name its subject
                add(i, i + 1, SCORE_LEXICON_LOWER, "opens a clause before what only a person does")
                continue
            if tok.low in _NOT_CLAUSE_SUBJECTS:
                continue
            if toks[i + 1].low not in _CLAUSE_VERBS or not self._opens_clause(toks, i):
                continue
            lex = self.lexicon
            # a name of the other-language lists only if no word of ours is typed so ("rok" is "rök")
            other = caseless and lex.is_clear_name(tok.low) and not self._our_word(tok)
            if lex.is_first_name(tok.low) or other:
                add(i, i + 1, SCORE_LEXICON_LOWER, "opens a clause before its verb")

    def _question_subject(self, toks: list[Tok], found: Found, add: Add) -> None:
        """The subject of a question that opens with its verb: "kan ayaan komma …", "can kaisa pick up …".

        After "kan/får/can/will …" at the start of a clause comes the subject, then the main verb or a
        place ("kan lejla från hemtjänsten ringa"). A subject that is no word of ours, no pronoun and no
        relative, followed by a word of ours, is a name.
        """
        for i in range(1, len(toks) - 1):
            if toks[i - 1].low not in _QUESTION_AUX or not self._opens_clause(toks, i - 1) or i in found:
                continue
            tok, after = toks[i], toks[i + 1]
            if tok.low.translate(_FOLD) in STOP_WORDS or not self._name_beside_writer(tok):
                continue  # _name_beside_writer also refuses words of ours typed without å/ä/ö
            if after.is_word and (after.low in self.vocabulary or after.low in STOP_WORDS):
                add(i, i + 1, SCORE_LEXICON_LOWER, "subject of a question")

    def _closing_known_name(self, toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]`` is a known first name that closes its clause or the message ("… bill.")."""
        if i + 1 < len(toks) and toks[i + 1].text not in _CLAUSE_BREAKS:
            return False
        return toks[i].is_word and self.lexicon.is_first_name(toks[i].low) and toks[i].low not in STOP_WORDS

    def _called_back(self, toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]`` is whom to call back, without case ("call tadesse back")."""
        if not (0 < i < len(toks) - 1) or toks[i - 1].low not in {"call", "ring", "ringa"}:
            return False
        return toks[i + 1].low in {"back", "tillbaka"} and self._plain_name_word(toks[i])

    @staticmethod
    def _inverted_question(toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]`` follows "can/does/kan … my son": a question's subject, so a verb comes next."""
        return i >= 3 and toks[i - 2].low in _POSSESSIVE_WORDS and toks[i - 3].low in _QUESTION_AUX

    @staticmethod
    def _opens_clause(toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]`` is the first word of a clause: the message's, or after a stop or "och"."""
        if i == 0:
            return True
        before = toks[i - 1]
        if before.text in _CLAUSE_BREAKS or before.low in {"och", "and", "men", "but"}:
            return True
        return i == 1 and before.low in {"hej", "hejsan", "hi", "hello", "hey"}

    @staticmethod
    def _here(toks: list[Tok], i: int) -> bool:
        """Whether ``toks[i]`` is "här"/"here" closing a phrase: "lina här, undrar …", "SIOBHAN HERE."."""
        closing = i + 1 == len(toks) or toks[i + 1].text in {",", ".", "!", ":"}
        return toks[i].low in _PLACE_WORDS and closing

    def _signature(self, toks: list[Tok], found: Found, text: str = "") -> tuple[int, int] | None:
        """One to three name-like words that close the message after its last sentence ("… ? jonas wikström").

        Chat messages are often signed without "mvh": the last words after a full stop, question mark,
        dash or comma, none of them a stop word, a closing word ("snälla", "tack") or an inflected word.
        A phone number or an e-mail address after them may close the message instead ("… Yonas 0739 11
        82 40"); then the words may also follow a relative or a role ("mamma rojda aydin rojda@…").
        """
        end = len(toks)
        while end and not toks[end - 1].is_word and toks[end - 1].text in {".", "!", "?", ")"}:
            end -= 1
        end = self._before_writers_role(toks, end, text)
        contact_end = end
        while end and _CONTACT.fullmatch(toks[end - 1].text):
            end -= 1
        contact = toks[end:contact_end]
        if contact and end and toks[end - 1].text in {",", "،"}:
            end -= 1  # "فرهاد نوروزی، farhad@…", "Anna Berg, anna@…": a comma before the contact
        phone_like = bool(contact) and contact[0].text.startswith(("0", "+", "(0", "(+"))
        digits = sum(ch.isdigit() for t in contact for ch in t.text)
        # The writer's personnummer after the name closes a signature too ("/patrik nygren 790106-5339").
        personnummer = any(_PERSONNUMMER_SHAPE.fullmatch(t.text) for t in contact)
        has_contact = (phone_like and digits >= 6) or personnummer or any("@" in t.text for t in contact)
        if not has_contact:
            end = contact_end
        while has_contact and end and _is_identifier_label(toks[end - 1]):
            end -= 1  # "… kalmar. tfn 070 555 12 34": the label, not a name, opens the contact
        start = end
        while start > 0 and toks[start - 1].is_word and end - start < 4:
            start -= 1
        while has_contact and start < end and self._is_stop(toks[start]):
            start += 1  # "mamma rojda aydin …": the relative is not part of the name
        signed = [k for k in range(start, end) if _after_slash(text, toks[k])]
        if signed:
            start = signed[-1]  # "… väntar på svar /micke", "… / bosse": the name starts at the slash
        thanked = self._after_thanks(toks, start, end)
        start += thanked
        if start == end or start == 0 or end - start > 3:
            return None
        before = toks[start - 1]
        slash = bool(signed)
        if (
            before.text not in {".", "?", "!", "-", "–", ",", ":"}
            and not (has_contact and before.text in {"،", "؟"})  # Arabic script, before a contact
            and not slash
            and not thanked
            and not (has_contact and self._is_stop(before))
        ):
            return None
        words = toks[start:end]
        if any(t.low in CLOSING_WORDS or not _APOSTROPHES.sub("", t.text).isalpha() for t in words):
            return None
        first_name = self.lexicon.is_first_name(words[0].low)
        if not all(
            self._plain_name_word(t, surname=True)
            or self._known_tok(t)
            # after " /" only a name signs a message, also one that is a word ("… /vilja", "/ Storm")
            or (slash and t.low not in PERSON_WORDS and not self._is_stop(t))
            # after a closing thanks, a word that is not ours, whatever its ending ("… thx tess")
            or (thanked and t.low not in PERSON_WORDS and not self._is_stop(t) and not self._our_word(t))
            # after a first name, a family name may end like a word ("thanks, tom fletcher")
            or (k and first_name and not self._our_word(t) and not self._is_stop(t))
            for k, t in enumerate(words)
        ):
            return None
        if (
            not (words[0].is_cap or not any(t.is_cap for t in toks))
            and not self._known_tok(words[0])
            # "… på lördagar. /bosse": after " /" a word that is not ours still signs in lower case
            and not (slash and not self._our_word(words[0]))
        ):
            return None  # a lower-case ordinary ending in a normally written message
        return start, end

    @staticmethod
    def _after_thanks(toks: list[Tok], start: int, end: int) -> int:
        """1 when the last words open with a thanks after the last sentence ("… söndag? tack ayaan"), else 0.

        A thanks or a greeting that closes a message is followed by the writer's name or by nothing: the
        words after it are then judged as a signature. Its own sentence must have ended before it.
        """
        if not (0 < start < end - 1) or toks[start].low not in SIGN_OFF_WORDS:
            return 0
        if toks[start + 1].low in _THANKED_GROUPS:
            return 0  # "tack allihop": thanks to a group, no name
        return 1 if toks[start - 1].text in {".", "?", "!", ","} else 0

    @staticmethod
    def _before_writers_role(toks: list[Tok], end: int, text: str) -> int:
        """Where a signature ends when the writer adds who they are: "/Kristina, mamma till tre".

        A comma and a relative or a role (at most four more words) after a name signed with a slash: the
        name ends at the comma. Without the slash nothing changes.
        """
        for comma in range(end - 2, max(0, end - 6) - 1, -1):
            if toks[comma].text != "," or toks[comma + 1].low not in PERSON_WORDS:
                continue
            for k in range(max(0, comma - 3), comma):
                if _after_slash(text, toks[k]):
                    return comma
            return end
        return end

    def _loose_continuation(self, tok: Tok, guarded: bool = False) -> bool:
        loose = (
            tok.is_word
            and not self._is_stop(tok)
            and not tok.sentence_start
            and len(tok.low) >= 3
            and not tok.low.endswith(WORD_ENDINGS)
            and tok.low not in self.lexicon.function_words
        )
        if not loose or not guarded:
            return loose
        return (
            not tok.low.endswith(("s", *_VERB_LIKE))
            and tok.low not in VERBS_AFTER_A_PERSON
            and tok.low not in self.vocabulary
        )

    def _discount_sentence_case(self, toks: list[Tok]) -> list[Tok]:
        """Opening a sentence, "Hans", "Inga", "My" are words, not names.

        Unless a right cue ("Per sa …") or a capitalised last name ("Hans Berg") follows.
        """
        out = list(toks)
        lex = self.lexicon
        for i, tok in enumerate(toks):
            if not (tok.is_cap and tok.sentence_start and self._stem(tok.text) in lex.function_words):
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            full_name = nxt is not None and nxt.is_cap and nxt.low in lex.last_names
            if not full_name and not self._right_cue(toks, i + 1):
                out[i] = tok._replace(is_cap=False)
        return out

    # --- evidence ------------------------------------------------------------------------------

    def _judge_model_span(
        self, toks: list[Tok], s: int, e: int, shouting: bool, caseless: bool
    ) -> tuple[float, str]:
        """Score and reason for a model PER span after the context rules (score 0 = drop)."""
        span = toks[s:e]
        if all(_is_identifier_label(t) for t in span):
            return 0.0, ""  # a table's header ("NAMN, PERSONNR, CLEARING"): the label of a value, no name
        lex = self.lexicon
        stems = [self._stem(t.text) for t in span]
        cue = self._left_cue(toks, s)
        if cue == STRONG:
            return SCORE_STRONG_CUE, "model + strong cue"
        acronyms = all(t.text.isupper() and len(t.text) > 1 and t.low in self.vocabulary for t in span)
        if acronyms and not shouting:
            return 0.0, ""  # an acronym of the bot's own texts, even after a cue ("enligt LSS")
        if cue in (RELATION, WEAK) or self._right_cue(toks, e):
            # A cue confirms capitalised words and lower-case known names, but not a lower-case function
            # word ("min son ville …") or an unknown lower-case word ("vad heter förskolan"). Without
            # case in the message, what the model found right after a relative or a role ("min granne
            # …") is confirmed unless it looks like an ordinary word (function word, inflected ending).
            pairs = zip(span, stems, strict=True)
            if any(t.is_cap or (lex.is_name(st) and st not in lex.function_words) for t, st in pairs):
                return SCORE_WEAK_CUE, "model + weak cue"
            if (
                caseless
                and cue == RELATION
                and all(st not in lex.function_words and len(st) >= 3 for st in stems)
                and not any(st.endswith(WORD_ENDINGS) for st in stems)
                and not any(t.low in self.vocabulary for t in span)
            ):
                return SCORE_WEAK_CUE, "model + relation cue, no case"
            if not caseless or (len(span) == 1 and s > 0 and toks[s - 1].low in _COPULAS):
                return 0.0, ""  # "jag är jättearg": one word after a copula is a predicate
            # Without case, a weak cue is no evidence against the model: the rules below still apply
            # ("ring dariush karimi" is judged like "kan nawid och dilan …").
        if all(t.text.isupper() and len(t.text) > 1 for t in span) and not shouting:
            return 0.0, ""  # an acronym ("SFI") in a normally written message
        if any(lex.is_name(st) and not lex.is_ambiguous(st) and not lex.is_other_name(st) for st in stems):
            score = SCORE_MODEL if all(t.is_cap for t in span) or len(span) == 1 else SCORE_LEXICON_LOWER
            return score, "model + name list"
        if caseless and any(lex.is_other_name(st) for st in stems):
            return SCORE_OTHER_NAME, "model + other-language name list"
        number_follows = e < len(toks) and toks[e].text[:1].isdigit()  # a label: "pnr 1988…", "linje 12b"
        after_place_word = s > 0 and toks[s - 1].low in _PLACE_PREPOSITIONS  # "skolskjuts från eriksberg"
        if (
            caseless
            and len(toks) > len(span)  # a lone word is no sentence: a log key ("normalise"), a button
            and not number_follows
            and not after_place_word
            and not self._predicate(toks, s, e)
            and all(
                self._plain_name_word(t)
                and t.low not in CLOSING_WORDS
                and not lex.is_ambiguous(st)
                # "lars-göran", not an identifier made of words ("water-quality", "adult-education-…")
                and (t.text.count("-") <= 1 and not any(p in self.vocabulary for p in t.low.split("-")))
                for t, st in zip(span, stems, strict=True)
            )
        ):
            # A message without case gives the model no capital letter to go by, and many names have no
            # cue ("kan nawid och dilan gå på samma avdelning"). The model's span is kept unless a word looks
            # ordinary (the bot's vocabulary, a verb, an inflection, a label before a number, a place).
            return SCORE_MODEL_NO_CASE, "model, no case"
        if not all(t.is_cap for t in span):
            return 0.0, ""  # lower case, no known name, no cue: too weak for chat text
        if len(span) >= 2 and lex.is_first_name(stems[0]) and any(st in lex.last_names for st in stems[1:]):
            return SCORE_MODEL, "model + name list"  # "Björn Berg": first name + last name
        if all(lex.is_ambiguous(st) for st in stems):
            # "Rosa soptunnor …" at the start of a sentence is a colour; "med Björn i går" is a name.
            if span[0].sentence_start or any(st in lex.function_words for st in stems):
                return 0.0, ""
            return SCORE_MODEL_SENTENCE_START, "model, capitalised"
        if span[0].sentence_start:
            # One unknown capitalised word opening a sentence ("Mobilnr …", "Reservnummer …") is just
            # sentence case in chat; two or more ("Dragan Petrović …") look like a name.
            return (SCORE_MODEL_SENTENCE_START if len(span) >= 2 else 0.0), "model"
        return SCORE_MODEL, "model"

    @staticmethod
    def _predicate(toks: list[Tok], s: int, e: int) -> bool:
        """One word after "är"/"is" whose subject is not "det", "this", "jag" …: it says what someone is.

        "min son är limp", "my baby is limp": without case the model may take an adjective it does not
        know for a name, and the redaction would hide the very word a reader (and the safety check)
        needs. "det är sara", "this is sara", "namnet är sara" introduce a name and keep it.
        """
        return e - s == 1 and s >= 2 and toks[s - 1].low in _COPULAS and toks[s - 2].low not in _INTRODUCERS

    def _trim(self, toks: list[Tok], s: int, e: int) -> tuple[int, int]:
        """Drop stop words (titles and roles among them), non-words and unknown lower-case lead words."""
        while s < e and (not toks[s].is_word or self._is_stop(toks[s])):
            s += 1
        while e > s and (not toks[e - 1].is_word or self._is_stop(toks[e - 1])):
            if self._verb_as_family_name(toks, s, e - 1):
                break
            e -= 1
        while (
            e - s >= 2
            and not toks[s].is_cap
            and not self._known(toks[s].text)
            and any(t.is_cap for t in toks[s + 1 : e])
        ):
            s += 1  # an unknown lower-case word before a capitalised name ("fördömde Rehn")
        for k in range(s + 1, e):
            if toks[k].low in _PLACE_PREPOSITIONS and not toks[k].is_cap:
                return s, k  # "vide pa avdelning ekorren": the name ends where its place begins
        return s, e

    def _verb_as_family_name(self, toks: list[Tok], s: int, k: int) -> bool:
        """Whether ``toks[k]``, a contact verb closing the model's name, is the family name ("Maja Tell").

        Capitalised inside a sentence right after a capitalised first name, "Tell", "Ring" or "Ask" is no
        verb: a verb after a name is written in lower case or after a comma ("Anna, ring mig").
        """
        tok = toks[k]
        if k <= s or not tok.is_cap or tok.sentence_start or tok.low not in CONTACT_VERBS:
            return False
        before = toks[k - 1]
        return before.is_cap and before.is_word and self.lexicon.is_first_name(self._stem(before.text))

    def find(self, text: str) -> list[PersonSpan]:
        """Return the person names in ``text`` (character offsets into ``text``), merged and sorted."""
        try:
            # Fields joined by slashes ("lisa hed/8702…/0706…/lisahed@…") are read as separate words; the
            # slash becomes a space, so every offset stays. A signature's " /micke" keeps its slash.
            return self._find(_FIELD_SLASH.sub(" ", text))
        finally:
            # What was remembered about the message's words goes with it: no citizen's word (a name)
            # stays in memory after its message, as spaCy's memory zone keeps none in the vocabulary.
            self.forget()

    def forget(self) -> None:
        """Drop the answers remembered about words (the rules' and the lexicon's)."""
        self._known_memo.clear()
        self.lexicon.forget()

    def _find(self, text: str) -> list[PersonSpan]:
        if not text.strip():
            return []
        letters = sum(map(str.isalpha, text))
        shouting = written_in_capitals(text)
        caseless = shouting or (letters >= 8 and not any(map(str.isupper, text)))
        tagged = self._tag(text, caseless)
        toks = self._discount_sentence_case(tagged.toks)
        found: Found = {}  # start token -> (end token, score, reason)

        def add(s: int, e: int, score: float, reason: str) -> None:
            old = found.get(s)
            if score > 0 and (old is None or score > old[1] or (score == old[1] and e > old[0])):
                found[s] = (e, score, reason)

        for s, e in tagged.persons:
            s, e = self._trim(toks, s, e)
            if s < e and self._left_cue(toks, s) == STRONG:
                while (
                    e - s >= 2
                    and toks[s].is_cap
                    and not toks[e - 1].is_cap
                    and not self._known_tok(toks[e - 1])
                ):
                    e -= 1  # an unknown lower-case word after a capitalised name ("named Liam threw")
            if s < e:
                add(s, e, *self._judge_model_span(toks, s, e, shouting, caseless))

        lex = self.lexicon
        for i, tok in enumerate(toks):
            cue = self._left_cue(toks, i)
            # The model may take a foreign full name after a role for an organisation ("elev Zeyneb Öztürk");
            # two capitalised words after a relative or a role are a first and a last name all the same.
            full_name = i + 1 < len(toks) and toks[i + 1].is_cap and toks[i + 1].is_word and tok.is_cap
            other = i in tagged.others and not (
                cue == RELATION and full_name and not self._is_stop(toks[i + 1])
            )
            if other and cue == RELATION and self._unknown_after_role(toks, i):
                other = False  # "socialsekreterare Ahlbreg": a surname the model has never seen
            if (
                cue == RELATION
                and caseless
                and self._inverted_question(toks, i)
                and not self._known(tok.text)
            ):
                continue  # "can my son join …": after the verb that opens a question, the next is its verb
            if cue == RELATION and (caseless or not tok.is_cap) and self._name_before_its_verb(toks, i):
                # "kontaktpersonen sanna har slutat", "my daughter june wants …", "kusin lo och hennes släp":
                # between a relative or a role and the verb only a name fits, though the name is also a word
                add(i, i + 1, SCORE_LEXICON_LOWER, "relation cue, before its verb")
                continue
            if cue == RELATION and (caseless or not tok.is_cap) and self._full_name_before_its_verb(toks, i):
                # "min dotter juni alm vill …", "our son mark eriksson-bell needs …", "min vän abrehet
                # tesfamariam behöver …": after "my …", two name words and then the person's verb
                add(i, i + 2, SCORE_WEAK_CUE, "relation cue, first and family name before the verb")
                continue
            if (
                cue == RELATION
                and caseless
                and i + 1 < len(toks)
                and tok.low in self.lexicon.function_words
                and self.lexicon.is_first_name(tok.low)
                and len(toks[i + 1].low) >= 5
                and toks[i + 1].low.endswith(SURNAME_ENDINGS)
                and not self._our_word(toks[i + 1])
            ):
                # "min morfar dag hedlund": a first name that is also a word, then a family name's ending
                add(i, i + 2, SCORE_WEAK_CUE, "relation cue, first and family name")
                continue
            if caseless and cue == RELATION and self._closing_known_name(toks, i):
                # "asking for my dad bill": a first name that is a word, alone after a relative
                add(i, i + 1, SCORE_WEAK_CUE, "relation cue, a first name closing its clause")
                continue
            if caseless and self._called_back(toks, i):
                # "can you call tadesse back": between "call" and "back" only whom to call
                add(i, i + 1, SCORE_WEAK_CUE, "to be called back")
                continue
            if caseless and i and toks[i - 1].low in _TITLES and self._titled(tok):
                # "herr becker", "mrs o'neill": after a title of address only a name, whatever its ending
                add(i, self._extend(toks, i, loose=True, guarded=True), SCORE_WEAK_CUE, "after a title")
                continue
            if cue == RELATION and self._named_after_greeting(toks, i):
                # "hi, i'm june park.", "hej det är dag igen": a name that is also a word, introduced
                add(i, self._extend(toks, i, loose=caseless), SCORE_WEAK_CUE, "introduced after a greeting")
                continue
            if cue == RELATION and self._full_name_after_greeting(toks, i):
                # "hej, det är ante kuhmunen.": two words that are not ours, and the introduction ends
                add(i, i + 2, SCORE_WEAK_CUE, "introduced after a greeting")
                continue
            if cue and self._first_after_cue(tok, cue, other, caseless):
                reason = {STRONG: "strong cue", RELATION: "relation cue"}.get(cue, "weak cue")
                loose = (caseless or _caseless_script(tok.text)) and cue in (STRONG, RELATION)
                end = self._extend(toks, i, loose=loose, guarded=cue == RELATION)
                add(i, end, SCORE_STRONG_CUE if cue == STRONG else SCORE_WEAK_CUE, reason)
                continue
            if not tok.is_word or self._is_stop(tok):
                continue
            if _SLAVIC_FAMILY_NAME.fullmatch(tok.low):
                # "REFERENS FÖR MILAN PETROVIĆ": -ić/-ič written with its diacritic ends a South Slavic
                # family name and no Swedish or English word. Bosnian, Croatian and Serbian diminutives
                # end so too ("stolić"), so it counts capitalised, or without case after a known name.
                first = i > 0 and self._first_before_family_name(toks[i - 1], caseless)
                if (tok.is_cap and not caseless) or first:
                    add(i - 1 if first else i, i + 1, SCORE_NAME_PAIR, "family name by its ending")
                    continue
            pair_end = self._name_pair(toks, i)
            if pair_end:
                add(i, pair_end, SCORE_NAME_PAIR, "two names in a row")
                continue
            stem = self._stem(tok.text)
            if self._known_tok(tok) and (tok.is_cap or stem not in lex.function_words):
                end = self._extend(toks, i)
                if self._right_cue(toks, end):
                    add(i, end, SCORE_WEAK_CUE, "weak cue")
                    continue
            if not lex.is_name(stem) or lex.is_ambiguous(stem) or lex.is_other_name(stem):
                continue
            if lex.is_first_name(stem):
                score = SCORE_LEXICON_CAPITALISED if tok.is_cap else SCORE_LEXICON_LOWER
                add(i, self._extend(toks, i), score, "name list")
            elif tok.is_cap:
                add(i, self._extend(toks, i), SCORE_LAST_NAME, "name list")
        self._clause_subject(toks, add, caseless)
        if caseless:
            self._question_subject(toks, found, add)
        self._beside_writer(toks, found, add)
        self._apposition(toks, found, add)
        self._writers_named(toks, found, add)
        self._writer_with_role(toks, found, add)
        self._role_is_named(toks, found, add, caseless)
        self._child_in_class(toks, found, add)
        self._genitive_before_relative(toks, found, add, caseless)
        self._named_by_what_follows(toks, found, add)
        self._i_am_around(toks, found, add)
        if caseless:
            self._message_subject(toks, found, add)
        else:
            for i, end in self._proper_nouns(toks, tagged.others):
                add(i, end, SCORE_PROPER_NOUN, "capitalised inside a sentence, not a word we know")
        if caseless:
            self._foreign_letter_names(toks, add)
            self._named_before_identifier(text, toks, found, add)
            self._named_after_identifier(text, toks, found, add)
        self._aged(toks, found, add, caseless)
        self._named_in_email(text, toks, found, add)
        signature = self._signature(toks, found, text)
        if signature is not None:
            s, e = signature
            if s not in found:
                add(s, e, SCORE_LEXICON_LOWER, "signature")
            elif found[s][0] < e:  # "… /thomas björk": the first name was found, the signature adds the rest
                add(found[s][0], e, SCORE_LEXICON_LOWER, "signature")
        if caseless and found:
            self._add_surnames(toks, found, add)
        if found:
            self._add_coordinated(toks, found, tagged.others, add, caseless)
        if caseless and found:
            self._add_surnames(toks, found, add)  # of the names listed with a found one, too
        if found:
            self._particle_names(toks, found, add, caseless)
            self._initials(toks, found, add)
            for s, (e, score, reason) in list(found.items()):
                if e < len(toks) and _SCRIPT_FAMILY_NAME.fullmatch(toks[e].low):
                    add(s, e + 1, score, f"{reason}, family name")  # "محمد بن عبدالله الحسيني"
        self._form_line_name(text, toks, add)
        if not caseless:
            self._first_name_before_identifier(text, toks, found, add)
        if found and not caseless:
            self._first_name_before_family_name(toks, found, add)
        self._drop_street_names(toks, found)
        self._drop_named_things(toks, found)
        if found:
            self._repeated_mentions(toks, found, add, caseless)
        return self._merge(text, toks, found)

    def _form_line_name(self, text: str, toks: list[Tok], add: Add) -> None:
        """The words that fill a line after the name label that opens it: "namn hodan warsame".

        A form copied into the chat without its colons (blind chat set 11, half A). One to four words to
        the end of the line, none a stop word, a word for a person or an identifier's label, and at least
        one not a word of ours ("namn på föreningen" is no name).
        """
        for i, tok in enumerate(toks):
            if tok.low not in _FORM_NAME_LABELS or not _opens_line(text, toks, i):
                continue
            end = i + 1
            while end < len(toks) and not _opens_line(text, toks, end) and end - i <= 5:
                end += 1
            words = toks[i + 1 : end]
            if (
                not 1 <= len(words) <= 4
                or (end < len(toks) and not _opens_line(text, toks, end))
                or not all(t.is_word and t.text.replace("-", "").isalpha() for t in words)
                or any(self._is_stop(t) or t.low in PERSON_WORDS or _is_identifier_label(t) for t in words)
                or all(self._our_word(t) and not self._known_tok(t) for t in words)
            ):
                continue
            add(i + 1, end, SCORE_STRONG_CUE, "strong cue: a form's name line")

    def _first_name_before_identifier(self, text: str, toks: list[Tok], found: Found, add: Add) -> None:
        """A capitalised first name inside a sentence, right before a phone number, personnummer or e-mail.

        "Frågor till Ronny 070-… eller Linda 070-…": a first name that is also a word ("Linda", "Bo") is not
        taken on its own, but capitalised inside a sentence and followed by an identifier, which belongs to
        one person, it is that person's name.
        """
        covered = {i for s, (e, _, _) in found.items() for i in range(s, e)}
        lex = self.lexicon
        for i, tok in enumerate(toks):
            if (
                i in covered
                or not tok.is_word
                or not tok.is_cap
                or tok.sentence_start
                or tok.low in _IDENTIFIER_LABELS
                or tok.low.startswith(_IDENTIFIER_LABEL_STARTS)
                or not lex.is_first_name(self._stem(tok.text))
                or not _IDENTIFIER_AFTER.match(text, tok.end)
            ):
                continue
            add(i, i + 1, SCORE_WEAK_CUE, "a first name before its identifier")

    def _first_name_before_family_name(self, toks: list[Tok], found: Found, add: Add) -> None:
        """A capitalised first name right before a found family name: "Sten Ahl, 520814-3015".

        A first name that is also a word ("Sten", "Bo", "Per") is not taken on its own at the start of a
        line, but before a family name that was found it can only be the first half of the name.
        """
        lex = self.lexicon
        for s, (e, score, reason) in list(found.items()):
            prior = found.get(s - 1)
            if s == 0 or (prior is not None and prior[1] >= score):
                continue
            before, first = toks[s - 1], toks[s]
            if (
                before.is_cap
                and before.is_word
                and not first.sentence_start
                and lex.is_first_name(self._stem(before.text))
                and first.is_cap
                and not lex.is_first_name(first.low)
            ):
                found.pop(s)
                add(s - 1, e, score, f"{reason}, first name before it")

    def _repeated_mentions(self, toks: list[Tok], found: Found, add: Add, caseless: bool) -> None:
        """Every other mention of a found name, written the same: "Mi hijo Diego … Diego no quiere ir".

        A name found once is a name wherever the message repeats it; a second mention left in the text
        would give the first away. In a message with case the other mention must be capitalised too ("Barnet
        heter Klara … klara en sån utgift": the verb stays).
        """
        covered = {k for s, (e, _, _) in found.items() for k in range(s, e)}
        names = {toks[k].text: found[s] for s in list(found) for k in range(s, found[s][0])}
        # The family names of found full names: the word before another mention of one is that person's
        # first name ("Máret Somby och Ánde Somby", "Per Lind och Aino Lind"), whatever list knows it.
        family = {toks[e - 1].text for s, (e, _, _) in found.items() if e - s >= 2}
        for i, tok in enumerate(toks):
            if i in covered or tok.text not in names or len(tok.text) < 3 or not tok.is_word:
                continue
            if tok.low in STOP_WORDS or tok.low in self.vocabulary:
                continue
            _, score, reason = names[tok.text]
            if caseless:
                # no capital letter to go by: only a name the lists know, not also a word, found on good
                # evidence (a mistaken find stays single)
                lex = self.lexicon
                if not lex.is_name(tok.low) or lex.is_ambiguous(tok.low) or score < SCORE_WEAK_CUE:
                    continue
            elif not tok.is_cap:
                continue
            if not caseless and tok.text in family and self._first_name_of_relative(toks, i, covered):
                add(i - 1, i + 1, score, f"{reason}, a relative's first name and the family name")
                continue
            add(i, i + 1, score, f"{reason}, mentioned again")

    def _first_name_of_relative(self, toks: list[Tok], i: int, covered: set[int]) -> bool:
        """Whether the word before ``toks[i]`` (a found family name) is a capitalised first name."""
        if i == 0 or i - 1 in covered:
            return False
        before = toks[i - 1]
        return (
            before.is_cap
            and before.is_word
            and len(before.low) >= 2
            and not self._is_stop(before)
            and before.low not in self.vocabulary
            and before.low not in PERSON_WORDS
        )

    def _drop_street_names(self, toks: list[Tok], found: Found) -> None:
        """Drop the names that end in a genitive before a street word: "Selma Lagerlöfs väg" is a street.

        A street with a house number is an address, which the address recognizer finds as a whole. Some
        street words are also what a person has ("Noas plats på förskolan", "Eriks plan för …"): after a
        lone first name's genitive and before a preposition, they keep the person.
        """
        for s, (e, _, _) in list(found.items()):
            for k in range(s + 1, min(e + 1, len(toks))):
                if toks[k].low in STREET_WORDS and toks[k - 1].low.endswith("s"):
                    if self._persons_thing(toks, s, k):
                        continue
                    del found[s]
                    break

    def _persons_thing(self, toks: list[Tok], s: int, k: int) -> bool:
        """Whether ``toks[k]`` (a street word after the name at ``s``) is a thing the person has."""
        where = k + 1 < len(toks) and toks[k + 1].low in _WHERE_IT_IS
        lone = k - s == 1 and self.lexicon.is_first_name(toks[s].low[:-1])
        return lone and where and toks[k].low in _OWNED_STREET_WORDS

    def _drop_named_things(self, toks: list[Tok], found: Found) -> None:
        """Drop what names a place, a business or an animal rather than a person.

        Swedish names its institutions "<name> skola", "<name> äldreboende", its businesses and clubs
        "Restaurang <name>", "IK <name>", and "heter" names whatever comes before it: "föreningen heter
        …", "mitt företag heter …". A lone first name or its genitive stays a person in all three places
        ("Lisas förskola" is the preschool Lisa goes to; "Salong Nina" is named after its owner). One word
        after "i" or "utanför" is a town ("i Nora", "utanför Eda"), unless a strong cue found it or it is
        a genitive ("i Emmas klass") or a feeling comes first ("kär i Nora").
        """
        lex = self.lexicon
        for s, (e, _, reason) in list(found.items()):
            if s not in found:
                continue  # inside a name of a thing dropped above
            if e - s == 1 and toks[s].low == "box" and e < len(toks) and toks[e].text.isdigit():
                del found[s]  # "Box 512": a post office box
                continue
            if (
                e - s == 1
                and s > 0
                and toks[s - 1].low in _INSIDE_PLACE
                and not (s > 1 and toks[s - 2].low in _FEELING_IN)
                and "strong" not in reason
                and not toks[s].low.endswith("s")
            ):
                del found[s]  # "sporthallen i Nora", "bor utanför Eda": a town, as no one is "in" a person
                continue
            if self._company_or_place(toks, s, e):
                del found[s]  # "Exempelstads Energi AB", "i Västra Ljungby"
                continue
            if (
                e - s == 1
                and e < len(toks)
                and _CASE_NUMBER.fullmatch(toks[e].text)
                and not self._known(toks[s].text)
            ):
                del found[s]  # "case BoA 2026-0393": the series of a case number, not a person
                continue
            # "Rosendal 7:4", "fastigheten heter Hjorten 3:14": a property, whatever named it (the tokenizer
            # keeps "7:4" as one token)
            if e < len(toks) and _PROPERTY_UNIT.fullmatch(toks[e].text) and not self._known(toks[e - 1].text):
                del found[s]
                continue
            if "strong" not in reason and self._institution_or_place(toks, s, e):
                # "Förskolan Astrid", "avd Humlan", "Medborgarkontoret"; with the words a
                # weaker rule found inside it ("Basket" of "Exempelstad Basket")
                for k in [k for k in found if s <= k < e]:
                    del found[k]
                continue
            word = toks[e - 1].low
            genitive = word.endswith("s") and lex.is_first_name(word[:-1])
            if e - s == 1 and (lex.is_first_name(word) or genitive):
                continue  # "Lisas förskola", "Salong Nina", "hunden heter Sixten": a person may be meant
            after = toks[e].low if e < len(toks) else ""
            if after in _INSTITUTION_AFTER:
                del found[s]
                continue
            if toks[s].low in _BUSINESS_BEFORE or (s > 0 and toks[s - 1].low in _BUSINESS_BEFORE):
                del found[s]
                continue
            if s >= 2 and toks[s - 1].low in _NAMING_VERBS:
                subject = s - 2
                if subject > 0 and toks[subject].low in {"is", "was", "är", "var"}:
                    subject -= 1  # "my dog is called …"
                if toks[subject].low in _NAMED_THINGS:
                    del found[s]

    def _institution_or_place(self, toks: list[Tok], s: int, e: int) -> bool:
        """Whether ``toks[s:e]`` is the name of an institution, a club or a building.

        After (or opening with) an institution word ("Förskolan Pippi", "Sportklubben Bore") or a unit word
        ("avd Humlan"); before a sport or a club form ("Exempelstad Basket", "Viking IF"); one word in the
        definite form of a place compound ("Medborgarkontoret"). A property ("Rosendal 7:4") is dropped by
        ``_drop_named_things`` before this is asked, whatever found it.
        """
        before = toks[s - 1] if s > 0 else None
        if (
            before is not None
            and before.is_word
            and (
                (before.is_cap and before.low in _INSTITUTION_BEFORE)
                # a compound's head only before a name no list holds: "Familjehemmet Fredrik och Sara"
                # is the foster family
                or (before.is_cap and _institution_compound(before.low) and not self._known(toks[s].text))
                or before.low in _UNIT_WORDS
            )
        ):
            return True
        if e - s > 1 and toks[s].is_cap and toks[s].low in _INSTITUTION_BEFORE:
            return True
        if (
            e - s > 1
            and toks[s].is_cap
            and _institution_compound(toks[s].low)
            and not self._known(toks[s + 1].text)
        ):
            return True
        named = [t for t in toks[s:e] if t.low not in _CLUB_AFTER and t.low not in _INSTITUTION_BEFORE]
        if any(self._known(t.text) for t in named):
            return False  # "Anna Basket", "CALL ANNA IF YOU CAN": a known name stays a person
        # A club form of two or three letters only in capitals, and not in a message written in capitals
        # ("CALL ZORAN IF YOU CAN": there "IF" is the English word).
        cased = any(t.is_word and not t.text.isupper() for t in toks)

        def club(t: Tok) -> bool:
            return t.is_cap and t.low in _CLUB_AFTER and (len(t.low) > 3 or (t.text.isupper() and cased))

        after = toks[e] if e < len(toks) else None
        if after is not None and club(after):
            return True
        if e - s > 1 and (club(toks[s]) or club(toks[e - 1])):
            return True  # the model took the sport or club form in: "Viking IF", "IFK Exempelstad"
        if e - s == 1 and toks[s].is_cap and not self._known(toks[s].text):
            low = toks[s].low
            if any(low.endswith(end) and len(low) >= len(end) + 3 for end in _DEFINITE_PLACE_ENDINGS):
                return True
        return False

    def _company_or_place(self, toks: list[Tok], s: int, e: int) -> bool:
        """Whether ``toks[s:e]`` names a company (its form closes it) or a place (a side word opens it).

        "Exempelstads Bostads AB": a company form after the name; "Västra Ljungby", "Lilla Edet": a
        capitalised side or size word before it. A company named after its owner ("Anna Berg AB", "Holms
        Bygg AB") and "Lilla Anna" hold a known name, and stay a person.
        """
        words = [t for t in toks[s:e] if not _company_form(t)]
        if any(self._known(t.text) for t in words):
            return False  # "Holms Bygg AB", "Nyberg Arkitekter AB": the owner's name is still a name
        closes = _company_form(toks[e - 1]) or (e < len(toks) and _company_form(toks[e]))
        side = s > 0 and toks[s - 1].is_cap and toks[s - 1].low in _PLACE_SIDE_WORDS
        return bool(words) and (closes or side)

    def _particle_names(self, toks: list[Tok], found: Found, add: Add, caseless: bool) -> None:
        """A family name with a particle, whole: "Jan de Vries", "Anna van der Berg", "Omar al Hassan".

        A found name followed by one or two particles and a family name, or a found family name preceded by
        them and a first name. With case the other name is capitalised; without case the first name must
        be in the lists and the family name no word of ours.
        """
        for s, (e, score, _reason) in list(found.items()):
            after = e
            while after < len(toks) and after - e < 2 and toks[after].low in NAME_PARTICLES:
                after += 1
            noble = any(toks[k].low in _NOBLE_PARTICLES for k in range(e, after))
            # the span may already end in the particle ("HANS-OLOF VON", taken so by the model)
            held = after == e and e - s >= 2 and toks[e - 1].low in _NOBLE_PARTICLES
            if (
                (e < after or held)
                and after < len(toks)
                and self._particle_family_name(toks[after], caseless, noble or held)
            ):
                add(s, after + 1, score, "name with a particle")
            before = s
            while before > 0 and s - before < 2 and toks[before - 1].low in NAME_PARTICLES:
                before -= 1
            if 0 < before < s and self._particle_first_name(toks[before - 1], caseless):
                add(before - 1, e, score, "name with a particle")

    def _foreign_letter_names(self, toks: list[Tok], add: Add) -> None:
        """Two name words in a message without case, one with a letter no Swedish word has: "ÁILE KUHMUNEN".

        Case cannot mark the name, but "á", "č" or "š" can: no word of ours is written with them, and where
        one stands beside another word that may be a name, the two are a first and a family name ("ánde
        somby", "dragan šimić"). Not after a word that opens a place ("från łódź kaliska"), and not in a
        message in a language that writes such letters (Polish, Czech, Spanish …; fewer than three words in
        ten are ours, or many words have them): there they mark no name.
        """
        words = [t for t in toks if t.is_word]
        marked = sum(1 for t in words if _NAME_LETTERS.intersection(t.low))
        ours = sum(1 for t in words if t.low in self.vocabulary or t.low in self.lexicon.function_words)
        if marked > 4 or (marked > 2 and marked > 0.15 * len(words)) or ours < 0.3 * len(words):
            return
        for i in range(len(toks) - 1):
            pair = toks[i : i + 2]
            if i and toks[i - 1].low in _BEFORE_A_PLACE:
                continue
            if not any(_NAME_LETTERS.intersection(t.low) for t in pair):
                continue
            if all(self._foreign_pair_word(t) for t in pair):
                add(i, i + 2, SCORE_NAME_PAIR, "two name words, a letter no Swedish word has")

    def _foreign_pair_word(self, tok: Tok) -> bool:
        """A word that may stand in a name beside one with a foreign letter: no word or verb of ours."""
        low = tok.low
        return (
            tok.is_word
            and len(low) >= 3
            and not _vowelless(low)
            and low not in self.vocabulary
            and low not in self.lexicon.function_words
            and low not in VERBS_AFTER_A_PERSON
            and not self._is_stop(tok)
        )

    def _initials(self, toks: list[Tok], found: Found, add: Add) -> None:
        """The initial of a family name after a found name: "Hälsningar Maria K.", "Sara P, tack".

        One letter with its stop, or one letter before a comma, a line break or the end of the message,
        right after a name: people sign and refer to each other so. Not the one-letter words "i", "å", "ö".
        """
        for s, (e, score, reason) in list(found.items()):
            if e >= len(toks) or toks[e].start != toks[e - 1].end + 1:
                continue
            tok = toks[e]
            stopped = len(tok.text) == 2 and tok.text[0].isalpha() and tok.text[1] == "."
            closing = e + 1 == len(toks) or toks[e + 1].text in {",", "\n"} or "\n" in toks[e + 1].text
            alone = len(tok.text) == 1 and tok.text.isalpha() and tok.low not in {"i", "å", "ö"} and closing
            if stopped or alone:
                add(s, e + 1, score, f"{reason}, initial")

    def _particle_family_name(self, tok: Tok, caseless: bool, noble: bool = False) -> bool:
        if noble and tok.is_word and not self._is_stop(tok):
            return True  # "VON PLATEN": after "von" or "af" only a family name, whatever its ending
        if caseless or _caseless_script(tok.text):
            return self._plain_name_word(tok, surname=True)
        return tok.is_cap and tok.is_word and not self._is_stop(tok)

    def _particle_first_name(self, tok: Tok, caseless: bool) -> bool:
        if not tok.is_word or self._is_stop(tok):
            return False
        return self.lexicon.is_first_name(self._stem(tok.text)) or (not caseless and tok.is_cap)

    def _beside_writer(self, toks: list[Tok], found: Found, add: Add) -> None:
        """A name joined to the writer: "hos milica och mig", "björn och jag är", "me and dobrila".

        Only a person is listed with "jag"/"mig"/"me", so a word there that could be a name (no word of
        ours, no inflection, no relative after "min": "min man och jag") is one.
        """
        for j, joiner in enumerate(toks):
            if joiner.low not in _WRITER_AFTER or j == 0 or j + 1 >= len(toks):
                continue
            if toks[j + 1].low in _WRITER_AFTER[joiner.low]:  # "milica och mig"
                i = j - 1
                if i not in found and not (i > 0 and toks[i - 1].low in _POSSESSIVE_WORDS):
                    if self._name_beside_writer(toks[i]):
                        add(i, i + 1, SCORE_LEXICON_LOWER, "beside the writer")
            if toks[j - 1].low in _WRITER_BEFORE[joiner.low]:  # "me and dobrila"
                i = j + 1
                if i not in found and self._name_beside_writer(toks[i]):
                    add(i, self._extend(toks, i), SCORE_LEXICON_LOWER, "beside the writer")
        for j, me in enumerate(toks[:-1]):
            # "fakturan ska till mig sevgi arslan, …": the writer's own name right after "mig"/"me"
            if me.low not in _WRITER_OBJECTS or j + 1 in found:
                continue
            end = j + 1
            while end < len(toks) and end - j <= 2 and self._name_beside_writer(toks[end]):
                end += 1
            closes = end == len(toks) or toks[end].text in _CLAUSE_BREAKS
            if end > j + 1 and closes:
                add(j + 1, end, SCORE_LEXICON_LOWER, "the writer's name")

    def _apposition(self, toks: list[Tok], found: Found, add: Add) -> None:
        """A name explained right after it: "lejla, my daughter", "lena, min syster", "vilja (åk 1)".

        A relative after a possessive, or a school year in brackets, says what the word before it is; so
        does a relative or a role right before the commas around it ("grannen ovanför, björn, spelar").
        """
        for i in range(len(toks) - 2):
            after = [t.low for t in toks[i + 1 : i + 4]]
            relative = after[0] == "," and len(after) == 3 and after[1] in _POSSESSIVE_WORDS
            closes = i + 4 >= len(toks) or toks[i + 4].low in _CLAUSE_BREAKS  # not "…, my son says"
            relative = relative and after[2] in PERSON_WORDS and closes
            school_year = after[0] == "(" and after[1] in _SCHOOL_YEARS
            # "grannen ovanför, björn, spelar …", "my caseworker, tove, said": a word between commas
            # right after a relative or a role (one word may stand between) is that person's name
            between_commas = (
                i >= 2
                and after[0] == ","
                and toks[i - 1].text == ","
                and any(t.low in PERSON_WORDS for t in toks[max(0, i - 3) : i - 1])
            )
            # "ring mig, petri, på …", "det blir oftast jag, nasrin, eller …": the writer's own name
            # between commas right after "jag"/"mig"/"me" (half A of blind PII chat set 12)
            between_commas = between_commas or (
                i >= 2 and after[0] == "," and toks[i - 1].text == "," and toks[i - 2].low in _THE_WRITER
            )
            if not (relative or school_year or between_commas) or any(
                s <= i < e for s, (e, _, _) in found.items()
            ):
                continue
            tok = toks[i]
            if (
                self._name_beside_writer(tok)
                or (tok.is_cap and not tok.sentence_start and not self._is_stop(tok))
                or (school_year and self._child_before_school_year(tok))
            ):
                add(i, i + 1, SCORE_LEXICON_LOWER, "explained as a person")

    def _writers_named(self, toks: list[Tok], found: Found, add: Add) -> None:
        """The names of "we" listed after it: "till oss, Mehari och Senait", "vi, hakan och deniz, vill …".

        So too the names of children listed after the word for them ("i have two children, amani and
        baraka"; half A of blind PII chat set 12). A comma after "oss"/"vi"/"us"/"we" or such a word, then
        two words joined by "och"/"and": the people named. Both words must look like names (capitalised
        inside a sentence, or, without case, no word of ours).
        """
        for i in range(len(toks) - 4):
            if (toks[i].low not in _WE and toks[i].low not in _CHILDREN_LISTED) or toks[i + 1].low != ",":
                continue
            first, joiner, second = toks[i + 2], toks[i + 3], toks[i + 4]
            if joiner.low not in {"och", "and", "&"} or any(s <= i + 2 < e for s, (e, _, _) in found.items()):
                continue
            if all(self._writer_named(t) for t in (first, second)):
                add(i + 2, self._extend(toks, i + 2), SCORE_LEXICON_LOWER, "named after 'we'")
                add(i + 4, self._extend(toks, i + 4), SCORE_LEXICON_LOWER, "named after 'we'")

    def _role_is_named(self, toks: list[Tok], found: Found, add: Add, caseless: bool) -> None:
        """The name a role is given with "är"/"var"/"is": "chauffören brukar vara Jukka men i dag …".

        A relative or a role one to three words before the copula, in the same clause, and after it one
        word that closes the clause (a break, "men"/"och"/"but"/"and", or the message's end): that word
        names the person. It must look like a name: capitalised inside a sentence of a message with case
        (the model may call it a place: "Jukka") and no word of ours unless a first name ("Bo"), or without
        case a name of the lists that is no word of ours, so "läraren är bra" and "handläggaren var sjuk"
        keep their adjectives (half A of blind PII chat set 12).
        """
        for i in range(2, len(toks)):
            if i in found or toks[i - 1].low not in _NAMING_COPULAS:
                continue
            role = False
            for j in range(i - 2, max(-1, i - 5), -1):
                if toks[j].low in _CLAUSE_BREAKS:
                    break
                if toks[j].low in PERSON_WORDS and toks[j].low not in _SELF:
                    role = True
                    break
            after = toks[i + 1].low if i + 1 < len(toks) else "."
            if not role or not (after in _CLAUSE_BREAKS or after in {"men", "och", "but", "and"}):
                continue
            tok = toks[i]
            if not tok.is_word or self._is_stop(tok) or tok.low in PERSON_WORDS:
                continue
            if caseless:
                named = self.lexicon.is_name(tok.low) and not self._our_word(tok)
            else:
                named = (
                    tok.is_cap
                    and not tok.sentence_start
                    and (not self._our_word(tok) or self.lexicon.is_first_name(tok.low))
                )
            if named:
                add(i, i + 1, SCORE_WEAK_CUE, "named by 'is' after a role")

    def _writer_with_role(self, toks: list[Tok], found: Found, add: Add) -> None:
        """The writer's name before the writer's role: "jag är tesfaye pappa till selam", "I'M HODAN, MUM OF".

        After "jag är"/"det är"/"I am"/"this is", one or two words that may be a name
        (``_name_beside_writer``), then perhaps a comma, a relative or a role and "till"/"to"/"of"/"på"/"at":
        the writer says who they are, then how they are related. An adjective there is a word of ours
        ("jag är ensam mamma till …"), and so it stays.
        """
        for i in range(2, len(toks) - 2):
            introduced = (toks[i - 2].low, toks[i - 1].low) in _INTRODUCING_PAIRS or toks[i - 1].low in _I_AM
            if i in found or not introduced:
                continue
            end = i
            while end < len(toks) and end - i < 2 and self._name_beside_writer(toks[end]):
                end += 1
            if end == i:
                continue
            role = end + 1 if end < len(toks) and toks[end].text == "," else end
            if role + 1 < len(toks) and toks[role].low in PERSON_WORDS and toks[role + 1].low in _ROLE_OF:
                add(i, end, SCORE_WEAK_CUE, "the writer, named before a role")

    def _child_in_class(self, toks: list[Tok], found: Found, add: Add) -> None:
        """A child named before its school class: "ifrah i 4b", "Noah i 2C", "elsa i åk 3".

        Swedish schools name a class by its year and a letter; the word before "i" and such a class is a
        pupil unless it is a word of ours, a relative or a role ("mentorn i 4b", "eleverna i 2c").
        """
        for i in range(1, len(toks) - 2):
            if toks[i].low != "i" or any(s <= i - 1 < e for s, (e, _, _) in found.items()):
                continue
            after = toks[i + 1].low
            year = toks[i + 2].low if i + 2 < len(toks) else ""
            if not (_SCHOOL_CLASS.fullmatch(after) or (after in _SCHOOL_YEARS and year[:1].isdigit())):
                continue
            tok = toks[i - 1]
            capitalised = tok.is_cap and not tok.sentence_start and not self._is_stop(tok)
            if capitalised or self._name_beside_writer(tok):
                add(i - 1, i, SCORE_LEXICON_LOWER, "a pupil before the school class")

    def _genitive_before_relative(self, toks: list[Tok], found: Found, add: Add, caseless: bool) -> None:
        """A name in the genitive before a relative or a role: "Grace's teacher", "Ifrahs mamma".

        Whose mother or teacher it is, a person's: the word is a name unless it is a word of ours
        ("skolans kurator", "grannens son": a definite noun) or looks like one.
        """
        for i in range(len(toks) - 1):
            tok = toks[i]
            before_relative = toks[i + 1].low in PERSON_WORDS
            # "dimitri’s": the tokenizer splits a typographic apostrophe from the word
            split_genitive = (
                i + 2 < len(toks)
                and toks[i + 1].text in ("’", "'")
                and toks[i + 2].low == "s"
                and not tok.is_cap
                and tok.is_word
                and self._owner_name(tok.low)
            )
            # The token tests first: the scan of what is found is the costly part on a long message.
            if not before_relative and not split_genitive and not self._english_genitive_name(tok):
                continue
            if any(s <= i < e for s, (e, _, _) in found.items()):
                continue
            if not before_relative:
                add(i, i + 1, SCORE_LEXICON_LOWER, "genitive of a name")  # "dimitri's after-school care"
                continue
            text = tok.text
            if text[-2:] in ("'s", "’s"):
                stem = text[:-2]
            elif text[-1:] in ("s", "S") and len(text) > 3:
                stem = text[:-1]
            else:
                continue
            low = stem.lower()
            if not stem.isalpha() or self._our_text(low):
                continue
            if low in STOP_WORDS or low in PERSON_WORDS or low.endswith(NON_PERSON_SUFFIXES):
                continue
            apostrophe = len(stem) == len(text) - 2
            known = self.lexicon.is_name(low) and not self.lexicon.is_ambiguous(low)
            # Without an apostrophe, a definite noun's genitive ("skolans", "barnets") ends like one.
            looks_definite = not apostrophe and low.endswith(("en", "et", "an", "na", "ns"))
            shaped = self._plain_name_word(tok, surname=True) if caseless else stem[0].isupper()
            if known or (shaped and not looks_definite):
                add(i, i + 1, SCORE_LEXICON_LOWER, "genitive before a relative")

    def _english_genitive_name(self, tok: Tok) -> bool:
        """A lower-case English genitive of what can only be a name: "for dimitri's after-school care".

        Whatever follows, "'s" makes the word an owner; the owner is a name when it is no word of ours, no
        stop word and does not end like one ("today's", "the council's", "everyone's" are words).
        """
        text = tok.low
        if text[-2:] not in ("'s", "’s") or tok.is_cap:  # without case, "HAMID'S" too
            return False
        return self._owner_name(text[:-2])

    def _owner_name(self, low: str) -> bool:
        """Whether ``low``, before "'s", can only be a name (see :meth:`_english_genitive_name`)."""
        if len(low) < 3 or not low.isalpha() or low in _OWNERS_NOT_NAMES or low in PERSON_WORDS:
            return False
        if self._our_text(low) or low in STOP_WORDS:
            return False
        if self.lexicon.is_name(low):
            return not self.lexicon.is_ambiguous(low)
        return low not in self.lexicon.function_words and not low.endswith((*WORD_ENDINGS, *_VERB_LIKE))

    def _i_am_around(self, toks: list[Tok], found: Found, add: Add) -> None:
        """A name between "I" and "am", the verb closing the clause: "من مریم احمدی هستم", "ez welat im"."""
        for end, tok in enumerate(toks):
            pronoun = _I_AM_AROUND.get(tok.low)
            if pronoun is None:
                continue
            for start in range(max(0, end - 4), end - 1):
                if toks[start].low != pronoun:
                    continue
                words = toks[start + 1 : end]
                if all(t.is_word and not self._is_stop(t) and not self._our_word(t) for t in words):
                    if not any(start + 1 <= s < end for s in found):
                        add(start + 1, end, SCORE_WEAK_CUE, "between 'I' and 'am'")
                break

    def _named_by_what_follows(self, toks: list[Tok], found: Found, add: Add) -> None:
        """A word that what follows makes a person: "dilan och hennes kompisar", "tekle som jobbar på …".

        "his"/"her" after "och" points back to a person, and so does a relative clause about work or home
        ("som jobbar", "som bor"), a pronoun for a person after a comma ("för emir, han fyllde 16") and
        "sin" after the word's verb ("om dariush fått sin medicin"). The word must not be a relative, a
        role or a word of ours (unless it is a known name), nor follow a possessive ("min bror och hans
        fru").
        """
        for i in range(len(toks) - 2):
            tok, nxt, third = toks[i], toks[i + 1].low, toks[i + 2].low
            # Swedish only ("and his throat" is often someone named before), and not after an article or a
            # preposition: "en geting och hans hals" is an insect
            opens = i == 0 or toks[i - 1].low in _CLAUSE_BREAKS or not self._is_stop(toks[i - 1])
            her_his = nxt == "och" and third in _HIS_HER and opens
            works = nxt in {"som", "who"} and third in _PERSON_CLAUSE_VERBS
            # "för emir, han fyllde 16": a pronoun for a person takes the word up again
            # (a known name: "nyckelgömma, hon bor …" takes up someone named before)
            taken_up = nxt == "," and third in _PERSON_PRONOUNS and self.lexicon.is_name(tok.low)
            # "kolla om dariush fått sin medicin": "sin" points back to the subject of its verb, a Swedish
            # finite verb or supine ("fått", "tappade", "glömmer"), not "za sina" (Bosnian "for her son")
            own = (
                third in _REFLEXIVE_POSSESSIVES
                and toks[i + 1].is_word
                and len(nxt) >= 3
                and nxt not in STOP_WORDS
                and nxt.endswith(("t", "r", "de", "te"))
            )
            if not (her_his or works or taken_up or own) or any(s <= i < e for s, (e, _, _) in found.items()):
                continue
            if not tok.is_word or tok.low in PERSON_WORDS or (i and toks[i - 1].low in _POSSESSIVE_WORDS):
                continue
            known = self._known_tok(tok) and not self._is_stop(tok)
            if (
                known
                or (tok.is_cap and not tok.sentence_start and not self._is_stop(tok))
                or (not tok.is_cap and self._plain_name_word(tok))
            ):
                add(i, i + 1, SCORE_LEXICON_LOWER, "named by what follows")

    def _named_after_greeting(self, toks: list[Tok], i: int) -> bool:
        """A known name that is also a word, right after "hej, det är" / "hi, i'm", closing its clause."""
        tok = toks[i]
        if not tok.is_word or not self.lexicon.is_name(tok.low) or i < 2:
            return False
        greeted = any(t.low in _GREETING_WORDS for t in toks[max(0, i - 4) : i - 1])
        return greeted and toks[i - 1].low in _INTRO_ENDS and self._introduced(toks, i)

    def _full_name_after_greeting(self, toks: list[Tok], i: int) -> bool:
        """Two words after "hej, det är" / "hi, this is" that close the sentence and are no words of ours.

        Whatever their endings ("ante kuhmunen"): an introduction that ends after two words names the
        writer; a predicate there is made of words of ours or the stop list ("hej det är väldigt bråttom").
        """
        if i < 2 or i + 1 >= len(toks) or toks[i - 1].low not in _INTRO_ENDS:
            return False
        if not any(t.low in _GREETING_WORDS for t in toks[max(0, i - 4) : i - 1]):
            return False
        closes = i + 2 == len(toks) or toks[i + 2].text in _CLAUSE_BREAKS
        return closes and all(self._unknown_word(t) for t in toks[i : i + 2])

    def _unknown_word(self, tok: Tok) -> bool:
        """A word that is neither ours, nor on the stop list, nor a relative, a role or a function word."""
        low = tok.low
        if not tok.is_word or len(low) < 2 or self._is_stop(tok) or self._our_word(tok):
            return False
        return low not in PERSON_WORDS and low not in self.lexicon.function_words and not _vowelless(low)

    def _titled(self, tok: Tok) -> bool:
        return tok.is_word and len(tok.low) >= 2 and not self._is_stop(tok) and not self._our_word(tok)

    def _first_before_family_name(self, tok: Tok, caseless: bool) -> bool:
        """Whether ``tok``, right before a family name, is its first name.

        With case, a known name or a capitalised word inside a sentence that is no word of ours (not any
        lower-case word: in another language's sentence it may be "gospođa" or "zovem"); without case, a
        known first name that is no function word ("sam" in "ja sam", "am").
        """
        if not tok.is_word or self._is_stop(tok):
            return False
        if caseless:
            return self.lexicon.is_first_name(tok.low) and tok.low not in self.lexicon.function_words
        if self._known_tok(tok):
            return True
        return tok.is_cap and not tok.sentence_start and not self._our_word(tok)

    def _our_word(self, tok: Tok) -> bool:
        """A word of the bot's texts, also as typed without å/ä/ö ("rok" for "rök")."""
        return self._our_text(tok.low)

    def _our_text(self, low: str) -> bool:
        """``_our_word`` for a lower-case string (a genitive's stem)."""
        return low in self.vocabulary or low.translate(_FOLD) in self.folded_vocabulary

    def _writer_named(self, tok: Tok) -> bool:
        return self._name_beside_writer(tok) or (tok.is_cap and not self._is_stop(tok))

    def _child_before_school_year(self, tok: Tok) -> bool:
        """Whether ``tok`` before "(åk 1)" is a child's name ("vilja"), not a group, a school or a subject."""
        low = tok.low
        if not tok.is_word or len(low) < 3 or low in PERSON_WORDS or low in STOP_WORDS:
            return False
        return self.lexicon.is_name(low) or not low.endswith((*WORD_ENDINGS, "an", "na"))

    def _name_beside_writer(self, tok: Tok) -> bool:
        if not tok.is_word or self._is_stop(tok) or tok.low in _POSSESSIVE_WORDS or tok.low in PERSON_WORDS:
            return False
        if tok.low.translate(_FOLD) in self.folded_vocabulary:
            return False  # a word of ours typed without å/ä/ö ("rok", "grannar")
        if self._known_tok(tok) or (tok.low not in self.vocabulary and self.lexicon.is_name(tok.low)):
            return self._stem(tok.text) not in self.lexicon.function_words
        return self._plain_name_word(tok, surname=True)  # "-s" too: "me and carlos"

    def _add_surnames(self, toks: list[Tok], found: Found, add: Add) -> None:
        """In a message without case, take the family name after a found name ("hiba nasser ger …").

        Case cannot mark the family name there, so the word after the name is taken when it is no word of
        ours and either a name of any list, or ends like a family name (``SURNAME_ENDINGS``), or carries a
        joined particle ("al-sayed"), or closes the name's clause: the message ends or a comma, "och" or a
        verb follows ("deniz kaya", "nasser ger").
        """
        for s, (e, score, reason) in list(found.items()):
            if e >= len(toks) or e - s >= MAX_NAME_TOKENS:
                continue
            tok = toks[e]
            low = tok.low
            if (
                not tok.is_word
                or tok.sentence_start
                or len(low) < 3
                or self._is_stop(tok)
                or low.translate(_FOLD) in self.folded_vocabulary  # covers "low in self.vocabulary" too
                or low in self.lexicon.function_words
                or low in VERBS_AFTER_A_PERSON
                or low in SUBJECT_VERBS
            ):
                continue
            following = toks[e + 1].low if e + 1 < len(toks) else "."
            last = all(not t.is_word for t in toks[e + 1 :])  # the message ends with the name
            if (
                self.lexicon.is_name(low)
                or (last and tok.text.isalpha() and not low.endswith(_VERB_LIKE))  # "… yusuf fletcher"
                or (len(low) >= 5 and low.endswith(SURNAME_ENDINGS))
                or _JOINED_PARTICLE.fullmatch(low) is not None
                or _SCRIPT_FAMILY_NAME.fullmatch(low) is not None
                or (following in _SURNAME_FOLLOWERS and self._plain_name_word(tok, surname=True))
                # after a title only a name follows, whatever its ending ("ms grace okafor, said …")
                or (reason == "after a title" and following in _SURNAME_FOLLOWERS and tok.text.isalpha())
            ):
                add(s, e + 1, score, f"{reason}, family name")

    def _name_pair(self, toks: list[Tok], i: int) -> int:
        """The end of a first and a last name at ``i`` written in any case ("tuula korhonen"), else 0.

        Two names in a row that the lists know, neither of them also an ordinary or function word, are a
        person whatever the case and without a cue: a name list alone is not enough for an other-language
        name, but a pair of them is what a full name looks like, and ordinary words seldom pair up so.
        """
        if i + 1 >= len(toks):
            return 0
        pair = toks[i : i + 2]
        if pair[1].sentence_start or not all(
            t.is_word and not self._is_stop(t) and self.lexicon.is_clear_name(t.text) for t in pair
        ):
            return 0
        return max(i + 2, self._extend(toks, i))

    def _proper_nouns(self, toks: list[Tok], others: frozenset[int]) -> Iterable[tuple[int, int]]:
        """Capitalised words inside a sentence of a message with case that no list or text of ours knows.

        Inside a sentence, Swedish capitalises only proper nouns, and English proper nouns and a few closed
        classes (days, months, languages: the bot's own English texts hold those it meets). A word there
        that is not in the bot's vocabulary, not a place or organisation to the model, not right after a
        place preposition and not a label before a number is a name ("for Hamid's parent meeting"), also
        when the name is a frequent word in lower case ("The mother is Tina", "ben" is a leg).
        """
        covered = 0  # the end of the last name found: its later words are part of it
        for i, tok in enumerate(toks):
            if i < covered or not tok.is_cap or tok.sentence_start or not tok.is_word or i in others:
                continue
            # "LSS-boende", "VA-avgiften", "I'll", "Parkinson's": judged by their parts; in a name every
            # part after a hyphen is capitalised too ("Lars-Göran", not "Saga-biografen")
            parts = [part for n, part in enumerate(_PARTS.split(tok.text)) if len(part) >= 3 or n == 0]
            first = parts[0].lower() if parts else ""
            following = toks[i + 1].text if i + 1 < len(toks) else ""
            if (
                len(first) < 3
                or any(part.isupper() for part in parts)  # an acronym ("LSS", "VA-taxan")
                or any(part.lower() in self.vocabulary for part in parts)
                or any(part.lower().translate(_FOLD) in self.vocabulary for part in parts)
                or first in CAPITALISED_NOT_NAMES
                or tok.low in CAPITALISED_NOT_NAMES
                or self._is_stop(tok)
                or (i > 0 and toks[i - 1].low in _PLACE_PREPOSITIONS)
                or (i > 0 and toks[i - 1].low.endswith(NON_PERSON_SUFFIXES))  # "förskolan Solrosen"
                or (i > 0 and toks[i - 1].text[-1:].isdigit())  # the town after a postcode
                or following[:1].isdigit()  # a label: "Linje 4"
                or (len(following) > 1 and following.isupper())  # an acronym follows: "Dnr MBN 2026/2210"
                or any(part[:1].islower() for part in _PARTS.split(tok.text)[1:] if len(part) >= 3)
            ):
                continue
            covered = self._extend(toks, i)
            yield i, covered

    def _add_coordinated(
        self,
        toks: list[Tok],
        found: Found,
        others: frozenset[int],
        add: Add,
        caseless: bool = False,
    ) -> None:
        """Add the names listed with a found name: "Alva och Hugo", "Anna, Per och Lisa"."""
        for _ in range(3):
            before = dict(found)
            covered = {i for s, (e, _, _) in before.items() for i in range(s, e)}
            for s, (e, _, _) in before.items():
                for joiner, candidate in ((e, e + 1), (s - 1, s - 2)):
                    if not (0 <= candidate < len(toks) and 0 <= joiner < len(toks)):
                        continue
                    if candidate in covered or toks[joiner].low not in COORDINATORS:
                        continue
                    after_comma = toks[joiner].low == ","
                    # "nok, sara och amal": the first of three, before a list that "och" closes; "Noor,
                    # Hodan och Ayaan": the middle one, after the comma and before the "och" that closes
                    in_list = (candidate < s and e < len(toks) and toks[e].low in {"och", "and", "&"}) or (
                        candidate > s
                        and candidate + 1 < len(toks)
                        and toks[candidate + 1].low in {"och", "and", "&"}
                    )
                    # the model may take a whole list for a place or a thing ("tvillingar Storm och
                    # Vilda"); where a rule overruled it for the found name, it is overruled for the list,
                    # and so after a naming or relation cue, before which only names are listed ("barnen
                    # heter Noor, Hodan och Ayaan", "våra söner Milo och Taavi")
                    other = (
                        candidate in others
                        and s not in others
                        and self._left_cue(toks, self._list_start(toks, before, min(s, candidate)))
                        not in (STRONG, RELATION)
                    )
                    if self._listed_name(toks[candidate], after_comma and not in_list, other, caseless):
                        end = self._extend(toks, candidate) if candidate > s else candidate + 1
                        add(candidate, end, SCORE_COORDINATED, "listed with a name")
                    elif (
                        caseless
                        and candidate > s
                        and before[s][1] >= self.list_anchor
                        and candidate not in others
                        and self._closes_list(toks, joiner, candidate)
                    ):
                        add(candidate, candidate + 1, SCORE_COORDINATED, "closes a list of names")
            if found == before:
                return

    @staticmethod
    def _list_start(toks: list[Tok], found: Found, i: int) -> int:
        """The first token of the list of found names that token ``i`` opens or continues.

        "barnen Ebba, Ifrah och Sagal": from "Ifrah" back over the comma to "Ebba", where the cue is.
        """
        starts = {k: s for s, (e, _, _) in found.items() for k in range(s, e)}
        while i >= 2 and toks[i - 1].low in COORDINATORS and i - 2 in starts and starts[i - 2] < i:
            i = starts[i - 2]
        return i

    def _named_before_identifier(self, text: str, toks: list[Tok], found: Found, add: Add) -> None:
        """The words right before a personnummer, e-mail address, phone number or home address, without case.

        An identifier belongs to one person, and people write the name first: "färdtjänst för gullan
        qvarnström (19380415-2384)", "kontakt dilan, dilan.k@…". One to three words that may be a
        name (no word of ours, no verb or inflection: ``_plain_name_word``; or a known name), directly
        before the identifier (only a comma, a colon or a bracket between), after a word that introduces
        a person ("för", "på", "till", "kontakt" …): 0.85. At a clause break a label opens the field as
        often ("resenär 19…", "ssn: 19…"), but a label is one word: there two or three such words, or one
        known name, before an identifier or a street address ("… kr. amra mehmedović 19…", "…! päivi på
        sjövägen 3") are a name at 0.60. A word of ours or a label is never taken ("för mitt
        personnummer, …", "på mobilen 070 …"). The personnummer has a month, so an organisation number
        (third digit 2 or more) is no identifier of a person.
        """
        covered = {i for s, (e, _, _) in found.items() for i in range(s, e)}
        for last, tok in enumerate(toks):
            if not tok.is_word:
                continue
            identifier = bool(_IDENTIFIER_AFTER.match(text, tok.end))
            if not identifier and not _address_after(toks, last):
                continue
            first = last
            while first >= 0 and last - first < 3 and self._identified_name_word(toks[first]):
                first -= 1
            first += 1
            if first > last:
                continue
            if first in covered and last in covered:
                continue  # found already
            if identifier and first > 0 and toks[first - 1].low in _BEFORE_IDENTIFIED:
                add(first, last + 1, SCORE_WEAK_CUE, "named before an identifier")
            elif _opens_after(toks, first) and (last > first or self._known(toks[first].text)):
                # "… 450 kr. amra mehmedović 19…", "… stängd igen. kofi mensah bergsgatan 12": a clause
                # that is only a name and the person's identifier or home address. A label opens such a
                # clause as often, but it is one word ("resenär 19…", "ssn: …"): one word needs a list.
                add(first, last + 1, SCORE_LEXICON_LOWER, "a clause of a name and its identifier")

    def _named_after_identifier(self, text: str, toks: list[Tok], found: Found, add: Add) -> None:
        """One or two words that close the message right after an identifier, without case.

        "… hur ansöker jag? 19…-4419 päivi": after a personnummer, a phone number or an e-mail address,
        the last words of a message are the name of the person it belongs to, when they are name words
        (:meth:`_identified_name_word`; one word must be a known name). "… 070 123 45 67 tack" ends with
        a word of ours.
        """
        ends = [match.end() for match in _IDENTIFIER.finditer(text)]
        if not ends:
            return
        after = [k for k, t in enumerate(toks) if t.start >= ends[-1] and t.text not in {".", "!", ","}]
        if not after or len(after) > 2 or after[0] in found or after != list(range(after[0], after[-1] + 1)):
            return
        words = [toks[k] for k in after]
        if not all(self._identified_name_word(t) for t in words):
            return
        if len(words) == 2 or self._known(words[0].text):
            add(after[0], after[-1] + 1, SCORE_LEXICON_LOWER, "a name after an identifier, last")

    def _named_in_email(self, text: str, toks: list[Tok], found: Found, add: Add) -> None:
        """Words of the message that spell the local part of an e-mail address in it.

        People build their address from their name: "tesfay gebremedhin, tesfay.gebremedhin@…", "zeynep
        aksoy … zeynep.aksoy@…", "rosa quispe, rosaquispe@…". A word that is one of the local part's
        pieces (split at dots, dashes, underscores and digits; compared without accents) and may be a
        name (:meth:`_plain_name_word`), or two words in a row that spell a piece together (then also a
        word such as "rosa"), name the address's owner. "info@…", "bygglov@…" are words of ours.
        """
        pieces: set[str] = set()
        for match in _EMAIL_LOCAL.finditer(text):
            local = fold_name(match.group(1)).translate(_EMAIL_FOLD)
            pieces.update(p for p in re.findall(r"[a-z]+", local) if len(p) >= 3)
        if not pieces:
            return
        folded = [fold_name(t.text).translate(_EMAIL_FOLD) if t.is_word else "" for t in toks]
        for i, tok in enumerate(toks):
            if not folded[i] or i in found or self._is_stop(tok) or self._our_word(tok):
                continue
            if _is_identifier_label(tok):
                continue
            if len(folded[i]) >= 3 and folded[i] in pieces and self._plain_name_word(tok, surname=True):
                add(i, i + 1, SCORE_WEAK_CUE, "spelt in an e-mail address")
        for i in range(len(toks) - 1):
            pair = folded[i] + folded[i + 1]
            if folded[i] and folded[i + 1] and len(pair) >= 6 and pair in pieces:
                if not self._is_stop(toks[i]) and not self._is_stop(toks[i + 1]):
                    add(i, i + 2, SCORE_WEAK_CUE, "spelt in an e-mail address")

    def _aged(self, toks: list[Tok], found: Found, add: Add, caseless: bool) -> None:
        """A word followed by a person's age: "farhiya 7 år ska …", "my son river is 6".

        An age in years belongs to a person: a name word (:meth:`_plain_name_word`, capitalised in a
        message with case) that opens a clause right before "<number> år/years", or, without case, any
        word but a stop word between a relative or a role and "är/is <number>" (a relative's name may be
        a word: "river", "rosa").
        """
        for i in range(len(toks) - 2):
            tok = toks[i]
            if not tok.is_word or i in found or self._is_stop(tok):
                continue
            number = toks[i + 1].text.isdigit() and len(toks[i + 1].text) <= 2
            if number and toks[i + 2].low in _AGE_WORDS:
                opens = i == 0 or toks[i - 1].text in _CLAUSE_BREAKS
                if opens and (caseless or tok.is_cap) and self._plain_name_word(tok):
                    add(i, i + 1, SCORE_LEXICON_LOWER, "a person's age after it")
            elif caseless and (
                toks[i + 1].low in _COPULAS
                and toks[i + 2].text.isdigit()
                and len(toks[i + 2].text) <= 2
                and self._left_cue(toks, i) == RELATION
                and tok.low not in PERSON_WORDS
                and tok.low not in self.lexicon.function_words
            ):
                add(i, i + 1, SCORE_WEAK_CUE, "relation cue, a person's age after it")

    def _identified_name_word(self, tok: Tok) -> bool:
        """A word that may be part of a name written before an identifier."""
        if not tok.is_word or self._is_stop(tok) or tok.low in _BEFORE_IDENTIFIED:
            return False
        if _is_identifier_label(tok):
            return False
        return self._plain_name_word(tok, surname=True)  # a known name, or no word of ours

    def _unknown_after_role(self, toks: list[Tok], i: int) -> bool:
        """A capitalised word after a relative or a role that no text of ours holds, in cased text.

        The model takes an unknown surname for a place or an organisation ("socialsekreterare Ahlbreg",
        misspelt); after a role or a relative, a capitalised word that is no word of ours, not the first
        of a sentence and not followed by another capitalised word is the person's name. A department
        or a place we write about is a word of ours ("handläggare Bygglov" is no name).
        """
        tok = toks[i]
        if not tok.is_cap or tok.sentence_start or tok.text.isupper() or not tok.is_word:
            return False
        if tok.low in self.vocabulary or self._is_stop(tok):
            return False
        return not (i + 1 < len(toks) and toks[i + 1].is_cap)

    def _closes_list(self, toks: list[Tok], joiner: int, candidate: int) -> bool:
        """Whether the one word after "och"/"and" closes a list of names, in a message without case.

        "efter bengt och gun och vill …", "barnen ayaan, sahra och guled ska …": a found name, the
        joiner, one word, and then the list ends: the message or the clause ends, another "och"/"and"
        follows, or a verb of what a person does or is. Between a name and such an ending only a name
        fits, so a known name that is also a word counts ("gun", "per", "max"), and so does a word
        that no list holds even where its ending looks like a verb's ("guled"). A word of ours (the
        bot's texts, the corpus), a stop word, a function word that is no name, a word under three
        letters or anything after "eller"/"or" or a comma does not ("lisa och barnen ska", "anna och
        jag", "lisa och hans fru").
        """
        if toks[joiner].low not in {"och", "and", "&"}:
            return False
        tok = toks[candidate]
        if not tok.is_word or len(tok.low) < 3 or tok.low in STOP_WORDS:
            return False
        following = toks[candidate + 1] if candidate + 1 < len(toks) else None
        if not (
            following is None
            or following.text in _CLAUSE_BREAKS
            or following.low in {"och", "and", "&"}
            or following.low in SUBJECT_VERBS
            or following.low in VERBS_AFTER_A_PERSON
        ):
            return False
        lex = self.lexicon
        if lex.is_first_name(tok.low):
            return True  # a first name that is also a word: between a name and the list's end, a name
        return tok.low not in self.vocabulary and not lex.is_ambiguous(tok.low) and not self._is_stop(tok)

    def _listed_name(self, tok: Tok, after_comma: bool, other_entity: bool, caseless: bool = False) -> bool:
        """Whether ``tok``, listed next to a name, is a name too."""
        if not tok.is_word or self._is_stop(tok):
            return False
        if self._known_tok(tok):
            return tok.is_cap or self._stem(tok.text) not in self.lexicon.function_words
        if caseless and self.lexicon.is_clear_name(tok.text):
            return True  # "barnen ayaan, sahra och guled": a name of any list, also after a comma
        if caseless and not after_comma:
            return self._plain_name_word(tok)  # "my children sofiia and maksym" without case
        return tok.is_cap and not tok.sentence_start and not after_comma and not other_entity

    @staticmethod
    def _merge(text: str, toks: list[Tok], found: Found) -> list[PersonSpan]:
        """Turn token ranges into character spans, merging overlapping and space-separated neighbours."""
        spans: list[PersonSpan] = []
        for s in sorted(found):
            e, score, reason = found[s]
            start, end = toks[s].start, toks[e - 1].end
            if spans and (start < spans[-1].end or text[spans[-1].end : start] == " "):
                prev = spans[-1]
                best = prev if prev.score >= score else PersonSpan(0, 0, score, reason)
                spans[-1] = PersonSpan(prev.start, max(prev.end, end), best.score, best.reason)
            else:
                spans.append(PersonSpan(start, end, score, reason))
        return spans
