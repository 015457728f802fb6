"""Cue phrases around person names in Swedish and English chat, and words that are never names.

Cues are sequences of lower-case tokens as the blank Swedish tokenizer splits them. A *strong* cue
("jag heter", "my name is") makes the next word a name whatever it looks like; a *relation* cue ("min
son", "handläggaren") makes a capitalised word or a known name one; a *weak* cue ("kontakta", "hej",
"… sa att") only confirms a word that is a known name or that the model found.
"""

from __future__ import annotations

_NAMED = (
    "jag hon han hen son sonen dotter dottern barnet mamma pappa mor far mamman pappan sambo fru "
    "maken handläggaren handläggare"
).split()

STRONG_LEFT: tuple[tuple[str, ...], ...] = (
    *((who, "heter") for who in _NAMED),
    *((who, "kallas") for who in _NAMED),
    ("som", "heter"),
    ("som", "kallas"),
    ("mitt", "namn", "är"),
    *((whose, "namn", "är") for whose in ("hans", "hennes", "hens", "deras", "vars", "ditt", "sitt")),
    ("namnet", "är"),
    ("namn", ":"),
    # Form-like labels citizens copy into the chat: "Sökande: …", "Avsändare: …".
    *((label, ":") for label in ("sökande", "avsändare", "mottagare", "applicant", "sender", "recipient")),
    *(
        (label, ":")
        for label in (
            "kontaktuppgifter",
            "kontaktperson",
            "kontoinnehavare",
            "contact",
            "kontakt",
            "elev",
            "barn",
            # a form's name fields and the roles a pasted form or bill names
            "förnamn",
            "efternamn",
            "tilltalsnamn",
            "surname",
            "patient",
            "vårdnadshavare",
            "guardian",
            "inbetalare",
            "betalare",
            "payer",
        )
    ),
    *((word, "name", ":") for word in ("first", "last", "given", "family", "full")),
    ("fullständigt", "namn", ":"),
    ("fn", ":"),  # a contact card's (vCard) formatted name
    ("account", "holder"),
    ("kontoinnehavare",),
    ("mvh",),
    ("mvh", ","),
    ("mvh", "/"),
    ("hälsningar",),
    ("hälsningar", ","),
    ("vänliga", "hälsningar"),
    ("med", "vänlig", "hälsning"),
    ("my", "name", "is"),
    *((whose, "name", "is") for whose in ("his", "her", "their", "whose", "your")),
    ("named",),
    ("name", ":"),
    ("is", "called"),
    ("in", "the", "name", "of"),
    ("i", "namnet"),
    ("på", "namnet"),
    ("call", "me"),
    ("regards", ","),
    ("regards",),
    # "My name is …" and the closing greetings of the languages most spoken in Sweden after Swedish and
    # English: people write to the municipality in them too, and their names must go as well.
    *(
        tuple(phrase.split())
        for phrase in (
            # Arabic, Persian, Sorani Kurdish, Tigrinya, Amharic
            "اسمي",
            "إسمي",
            "أسمي",
            "اسم من",
            "نام من",
            "اسمم",
            "ناوم",
            "ناوی من",
            "ስመይ",
            "ስሜ",
            "مع تحياتي",
            "با احترام",
            # Russian, Ukrainian, Bosnian/Croatian/Serbian (both scripts)
            "меня зовут",
            "menya zovut",  # the same in Latin letters, as typed on a Swedish keyboard
            "mene zvaty",
            "mene zvut",
            "моё имя",
            "мое имя",
            "мене звати",
            "мене звуть",
            "с уважением",
            "з повагою",
            "зовем се",
            "zovem se",
            "ime mi je",
            "moje ime je",
            # Finnish, Polish, Turkish, Somali, Kurmanji, Spanish, German
            "nimeni on",
            "nazywam się",
            "mam na imię",
            "pozdrawiam",
            "adım",
            "benim adım",
            "ismim",
            "saygılarımla",
            "magacaygu waa",
            "navê min",
            "me llamo",
            "mi nombre es",
            "saludos",
            "ich heiße",
            "ich heisse",
            "mein name ist",
            "mit freundlichen grüßen",
        )
    ),
)

_RELATIVES = (
    "son sonen dotter dottern mamma pappa mor far mamman pappan man make maka fru sambo särbo bror "
    "brorsan syster systern barn barnet pojke flicka pojkvän flickvän partner granne grannen kollega "
    "vän kompis farmor mormor farfar morfar svärmor svärfar moster faster morbror farbror kusin "
    "brother sister daughter mother mom mum father dad husband wife neighbour neighbor friend child "
    "kid grandmother grandfather grandma grandpa bebis bebisen "
    "barnen söner sönerna döttrar döttrarna grannar grannarna föräldrar barnbarn barnbarnet bonusson "
    "bonusdotter children kids daughters neighbours neighbors parents aunt uncle niece nephew "
    "cousin grandson granddaughter grandchild stepson stepdaughter "
    "storebror lillebror storasyster lillasyster syskon syskonen tvilling tvillingen tvillingar "
    "tvillingarna brorson brorsdotter systerson systerdotter svärson svärdotter svåger svägerska "
    "fosterbarn fosterson fosterdotter styvson styvdotter styvbarn bonusbarn bonusmamma bonuspappa "
    "barnbarnen kusinen kusiner kusinerna twins twin sibling siblings stepmother stepfather grandchildren"
).split()
_PARENTS = (
    "mamma pappa förälder föräldrar vårdnadshavare mother father parent parents guardian mum mom dad"
).split()
# Kinship words that Swedish and English also use as a title right before a name, without "my": "pappa
# yonas förstår inte", "mormor Birgitta hämtar", "kusin lo", "aunt Mary". A word after them that is no
# word of ours is a name; a verb after them ("pappa ringer", "mormor fyllde") is not (its ending says so).
_KIN_TITLES = (
    "mamma pappa mormor morfar farmor farfar moster faster morbror farbror kusin storebror lillebror "
    "storasyster lillasyster grandma grandpa granny aunt auntie uncle cousin"
).split()
_ROLES = (
    "handläggare handläggaren biståndshandläggare biståndshandläggaren socialsekreterare "
    "socialsekreteraren rektor rektorn lärare läraren fröken förskollärare förskolläraren mentor "
    "mentorn kontaktperson kontaktpersonen kontaktman boendestödjare boendestödjaren undersköterska "
    "undersköterskan chef chefen enhetschef enhetschefen ombud ombudet inspektör inspektören "
    "sjuksköterska sjuksköterskan assistent assistenten elev eleven skolsköterska skolsköterskan kurator "
    "kuratorn skolkurator skolkuratorn läkare läkaren doktor doktorn tandläkare tandläkaren "
    "specialpedagog specialpedagogen vaktmästare vaktmästaren bibliotekarie bibliotekarien "
    "arbetsterapeut arbetsterapeuten fysioterapeut fysioterapeuten receptionist receptionisten "
    "sekreterare sekreteraren ordförande ordföranden tränare tränaren dr herr caseworker officer "
    "teacher principal nurse manager inspector doctor mr mrs ms miss fru worker carer klasslärare "
    "klassläraren klassföreståndare klassföreståndaren "
    # the people a municipality's services send: interpreters, drivers, caretakers, leaders, guardians
    "tolk tolken interpreter chaufför chauffören busschaufför busschauffören förare föraren driver "
    "fritidsledare fritidsledaren ledare ledaren handledare handledaren vikarie vikarien lärarvikarie "
    "vårdare vårdaren psykolog psykologen logoped logopeden sjukgymnast sjukgymnasten kock kocken "
    "bovärd bovärden fastighetsskötare fastighetsskötaren förvaltare förvaltaren väktare väktaren "
    "parkeringsvakt parkeringsvakten caretaker janitor coach tutor librarian "
    # an association's officers and the tradespeople a grant or an adaptation brings (half A of blind PII
    # chat set 12: "elektrikern roine från elbolaget", "fritidsläraren Bo"; not "kassör": on an unread
    # half it took the organisation name after it for a person, which a title before a name can be)
    "kassören treasurer secretary chairman chairperson leader fritidslärare fritidsläraren "
    "fritidspedagog fritidspedagogen elektriker elektrikern snickare snickaren rörmokare rörmokaren "
    "arkitekt arkitekten electrician plumber architect "
    # the parties a form, an application or an agreement names ("kontohavare Leyla Rostami", "groom Kofi …")
    "kontohavare kontohavaren sökande sökanden medsökande medsökanden vårdnadshavare vårdnadshavaren "
    "förslagsställare förslagsställaren fastighetsägare ägare hyresgäst dödsbodelägare brud bruden brudgum "
    "brudgummen applicant co-applicant owner tenant guardian bride groom"
).split()
_VERBS = (
    "kontakta kontaktade ring ringa ringde träffa träffade fråga frågade hälsa mejla mejlade maila "
    "mailade enligt contact call ask email met meet tell"
).split()
_TALKED_WITH = (
    ("prata", "med"),
    ("pratat", "med"),
    ("pratade", "med"),
    ("talat", "med"),
    ("talade", "med"),
    ("spoke", "to"),
    ("spoke", "with"),
    ("speak", "to"),
    ("speak", "with"),
    ("talked", "to"),
    ("talk", "to"),
)

# People named by their definite form alone: "grannen Ove", "killen Noel", "sonen Malte".
_PEOPLE_DEFINITE = (
    "sonen dottern mamman pappan maken makan frun sambon brodern brorsan systern barnet grannen "
    "kollegan kompisen vännen kamraten killen tjejen pojken flickan mannen kvinnan damen gubben tanten "
    "hyresgästen hyresvärden ägaren familjen barnen föräldrarna"
).split()
# Every word above that names a person by relation or role, with colloquial forms ("frugan", "hubby"):
# listed beside the writer ("frugan och jag"), such a word is not a name.
PERSON_WORDS: frozenset[str] = frozenset(
    (
        *_RELATIVES,
        *_ROLES,
        *_PEOPLE_DEFINITE,
        *"frugan morsan farsan syrran gumman polaren polarn sambon särbon pojkvännen flickvännen "
        "boyfriend girlfriend hubby wifey bestie mate buddy partnern exet ex".split(),
    )
)

# Possessive words before a relative ("min son", "my daughter"); the person rules also read them.
POSSESSIVES = (
    "min mitt mina vår vårt våra din ditt dina er ert era hans hennes hens deras sin sitt sina "
    "my our your his her their"
).split()

# A relative or a role right before a word: "min son Rami", "handläggaren Sten", "Mr Lindholm". A
# capitalised word after it is a name even when the name lists do not know it.
# A greeting, then the writer says who it is: "hej, det är …", "hi it's …", "hello this is …".
# Citizens often type Swedish without å, ä and ö ("foraldrar till", "det ar", "pa"). The cue phrases and
# the stop words are also read so, except where the plain letters spell another word of the slot: "vår
# son" gives "var son" (where … son), "vara" (to be), "vart" (where to), "vän" gives "van" (used to).
_PLAIN = str.maketrans("åäö", "aao")
_PLAIN_COLLISIONS = frozenset({"var", "vara", "vart", "van"})


def _with_plain_letters(cues: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """``cues`` and the same phrases typed without å/ä/ö, where the plain words spell nothing else."""
    plain = []
    for cue in cues:
        folded = tuple(word.translate(_PLAIN) for word in cue)
        if folded != cue and not _PLAIN_COLLISIONS.intersection(folded):
            plain.append(folded)
    return tuple(dict.fromkeys((*cues, *plain)))


_GREETINGS = "hej hejsan hallå tjena hi hello hey".split()
_INTRODUCTIONS = (
    ("det", "är"),
    ("this", "is"),
    ("it's",),
    ("its",),
    ("it", "is"),
    ("it", "’", "s"),
    ("i'm",),  # "hi, i'm aino": a greeting makes "I am" an introduction, not "I am tired"
    ("i’m",),
    ("i", "am"),
)

# A relative, a neighbour, a teacher or a title right before a name, in the other languages people in Sweden
# write in (Arabic, Persian, Sorani and Kurmanji Kurdish, Tigrinya, Russian, Ukrainian, Bosnian/Croatian/
# Serbian, Polish, Turkish, Finnish, Somali, Spanish, German). Where the language joins "my" to the noun
# (Arabic ابني, Persian پسرم, Turkish oğlum, Finnish poikani), the joined form is the cue. Words that are
# also Swedish words are left out (Bosnian "sin" and Polish "syn", son: "donera sin kropp", "min syn").
# In a script without capitals nothing tells a name from a word, so the word after a relative is taken
# for a name there: over-redaction ("ابني مريض", my son is ill) rather than a leak.

_OTHER_LANGUAGE_RELATIONS = (
    "ابني لابني وابني بنتي ابنتي لابنتي زوجي زوجتي أمي امي والدتي أبي ابي والدي أخي اخي أختي اختي جاري "
    "جارتي جارنا جارتنا صديقي صديقتي المعلمة المعلم الأستاذ الأستاذة الاستاذ السيد السيدة الموظفة الموظف "
    "پسرم دخترم همسرم شوهرم مادرم پدرم برادرم خواهرم همسایه‌ام همسایه خانم آقای معلم دوستم "
    "کوڕەکەم کچەکەم هاوسەرەکەم مێردەکەم ژنەکەم دایکم باوکم براکەم خوشکەکەم دراوسێکەم خاتوو کاک مامۆستا "
    "ወደይ ንወደይ ጓለይ ንጓለይ ሰብኣየይ ሰበይተይ ኣደይ ኣቦይ ሓወይ ሓፍተይ ጎረቤተይ መምህር መምህርቲ ወይዘሮ ኣቶ "
    "сын сына сыну дочь дочери дочка муж мужа жена жены мама мамы папа брат брата сестра сестры соседка "
    "соседки сосед соседа учитель учительница воспитательница внук внучка бабушка дедушка господин госпожа "
    "син сина донька доньки чоловік дружина тато сусід сусідка вчитель вчителька бабуся дідусь пані "
    "kćerka kćerku kći muž supruga majka otac sestra komšija komšinica susjed susjeda učitelj "
    "učiteljica gospođa gospodin "
    "syna synem córka córki córką mąż męża żona żony żoną siostra sąsiad sąsiadka nauczyciel "
    "nauczycielka pani "
    "oğlum oğlumu kızım kızımı eşim kocam karım annem babam kardeşim ablam abim komşum komşumuz öğretmen "
    "öğretmeni hanım "
    "poikani tyttäreni mieheni vaimoni äitini isäni veljeni siskoni naapurini naapuri opettaja rouva herra "
    "wiilkayga gabadhayda ninkayga xaaskayga hooyadey hooyaday aabahay walaalkay walaashay deriskayga "
    "hijo hija marido esposo esposa madre padre hermano hermana vecino vecina profesor profesora maestra "
    "maestro señor señora "
    "sohn tochter mutter vater bruder schwester nachbar nachbarin lehrer lehrerin"
).split()
# Kurmanji puts "my" after the noun: "kurê min …".
_KURMANJI_RELATIONS = "kurê keça jina mêrê birayê xwişka diya bavê cîranê".split()

# Persian puts "my"/"our" after the noun as a word of its own too: "همسایه ما …" (our neighbour).
_PERSIAN_RELATIONS = "پسر دختر همسر شوهر مادر پدر برادر خواهر همسایه دوست".split()

RELATION_LEFT: tuple[tuple[str, ...], ...] = (
    *((relation,) for relation in _OTHER_LANGUAGE_RELATIONS),
    *((relation, "min") for relation in _KURMANJI_RELATIONS),
    *((relation, whose) for relation in _PERSIAN_RELATIONS for whose in ("من", "ما")),
    *((greeting, *intro) for greeting in _GREETINGS for intro in _INTRODUCTIONS),
    *((greeting, ",", *intro) for greeting in _GREETINGS for intro in _INTRODUCTIONS),
    *((possessive, rel) for possessive in POSSESSIVES for rel in _RELATIVES),
    *((role,) for role in _ROLES),
    *((kin,) for kin in _KIN_TITLES),
    # "mamma till ifrah", "vårdnadshavare för …", "mother of …": the parent of a named child
    *((parent, of) for parent in _PARENTS for of in ("till", "åt", "för", "of", "to")),
    # whom to call back: "kan ni ringa upp yohannes", "ring tillbaka till …"
    *((call, *back) for call in ("ring", "ringa", "ringer") for back in (("upp",), ("tillbaka", "till"))),
    # thanks go to a person: "tack till juha som hjälpte …", "thank you to hope and mark"
    ("tack", "till"),
    ("stort", "tack", "till"),
    ("thanks", "to"),
    ("thank", "you", "to"),
    *((person,) for person in _PEOPLE_DEFINITE),
    *((title, ".") for title in ("mr", "mrs", "ms", "dr")),  # "ms. lundqvist"
    ("case", "officer"),
    ("social", "worker"),
    ("called",),
)

# "heter"/"kallas" after anything but a question word introduces a name ("grannen heter …", "en pojke
# som heter …"); after a question word it asks for one ("vad heter förskolan").
NAMING_VERBS: frozenset[str] = frozenset({"heter", "kallas", "hette", "kallades"})
# The verbs that introduce whom to contact; several are also family names ("Tell", "Ring", "Ask").
CONTACT_VERBS: frozenset[str] = frozenset(_VERBS)
QUESTION_WORDS: frozenset[str] = frozenset(
    "vad hur vem vilken vilket vilka var varför what who which how".split()
)
# The agent of a passive: "boken lånades av …", "han blev slagen av …", "it was borrowed by …". The
# preceding word must look like a passive or a participle (its ending), the following one like a name.
AGENT_PREPOSITIONS: frozenset[str] = frozenset({"av", "by"})
PASSIVE_ENDINGS: tuple[str, ...] = ("s", "ad", "ade", "at", "en", "et", "na", "da", "ta", "ed", "wn")
# Joining words of a list of names: "Alva och Hugo", "Anna, Per och Lisa", "Tom and Liam".
COORDINATORS: frozenset[str] = frozenset({"och", "and", "&", ",", "eller", "or"})

WEAK_LEFT: tuple[tuple[str, ...], ...] = (
    *((verb,) for verb in _VERBS),
    *_TALKED_WITH,
    ("heter",),
    ("kallas",),
    ("jag", "är"),
    ("det", "är"),
    ("this", "is"),
    ("i", "am"),
    ("i'm",),
    ("hej",),
    ("hejsan",),
    ("hi",),
    ("hello",),
    ("dear",),
    ("tack",),
    ("thanks",),
    ("/",),
)
STRONG_LEFT = _with_plain_letters(STRONG_LEFT)
RELATION_LEFT = _with_plain_letters(RELATION_LEFT)
WEAK_LEFT = _with_plain_letters(WEAK_LEFT)

# Words right after a name that confirm it (speech and contact verbs: "Björn sa att…", "kan X ringa").
WEAK_RIGHT: frozenset[str] = frozenset(
    (
        "sa sade säger sagt ringde ringa berättade skrev svarade lovade tyckte mejlade här said says "
        "called call told wrote replied promised here"
    ).split()
)

# The words that most often follow a name in the other languages the introductions above are read in:
# "and", "my", "I am/live", "is", "phone", "number" (a name after "me llamo" ends before "y vivo …").
_OTHER_LANGUAGE_STOPS = (
    "و رقمي ورقمي هاتفي وهاتفي رقم انا أنا عمري وعمري اسكن أسكن ساكن هو هي في من "
    "است هستم هست هستند شماره تلفن شمارهٔ در از "
    "እዩ እየ ቑጽሪ "
    "и й а та мой моя моё мое мне меня мій моя мені я телефон номер живу из в на с у "
    "y vivo mi soy tengo con en und ich wohne mein meine aus "
    "mój moja mieszkam jestem numer telefon ve benim telefonum numaram ja asun olen puhelin "
    "waa iyo moj broj živim û ez hejmara"
).split()

# Words that never start or continue a name (pronouns, determiners, prepositions, conjunctions, frequent
# verbs and adverbs, greetings, the cue words themselves), Swedish and English, lower-case.
STOP_WORDS: frozenset[str] = frozenset(
    (
        "jag du han hon hen vi ni de dem den det denna detta dessa mig dig honom henne oss er sig min mitt "
        "mina din ditt dina hans hennes vår vårt våra er ert era deras sin sitt sina man en ett som är var "
        "blir blev har hade ska skall skulle kan kunde vill ville måste får fick bör går gick bor bodde "
        "och eller men att om för från till på i av med utan vid hos under över efter före mot inte "
        "ej ju nog bara också även tyvärr faktiskt egentligen väl redan snart nu då här där hit dit "
        "hur vad när var vem vilken vilket vilka varför så mycket lite alla allt inga ingen inget något "
        "någon några kommer hej hejsan hallå tjena tack mvh hälsningar vänliga vänlig hälsning "
        "heter kallas namn namnet "
        "i me my you he she it we they them him her his its our your their a an the is am are was were "
        "be been have has had will would can could should must may not no yes and or but to of in on at "
        "for from with by about this that these those there here who what when where why how hi hello "
        "dear sir madam thanks thank regards name called speak spoke talk talked back later tomorrow today "
        "tonight now please asap again soon then also up if after before instead someone somebody anyone "
        "anybody everyone everybody nobody person people staff igen också gärna bara yesterday igår idag "
        "imorgon ikväll senare sedan "
        "måndag tisdag onsdag torsdag fredag lördag söndag januari februari mars april juni juli augusti "
        "september oktober november december monday tuesday wednesday thursday friday saturday sunday "
        "mondays tuesdays wednesdays thursdays fridays saturdays sundays january february march april "
        "june july august september october november december "
    ).split()
    + _RELATIVES
    + _ROLES
    + _VERBS
    + _PEOPLE_DEFINITE
    + POSSESSIVES
    + _OTHER_LANGUAGE_STOPS
    + _OTHER_LANGUAGE_RELATIONS
    + "اسمي إسمي أسمي اسمم ناوم ስመይ ስሜ".split()
)
STOP_WORDS |= {word.translate(_PLAIN) for word in STOP_WORDS} - _PLAIN_COLLISIONS  # "pa", "fran", "nar"

# Without case in the message, a word right after a relative or a role is taken for a name when it does not
# look like an ordinary word ("min fru shirin", "my kid mateo"). These are the frequent verbs of that slot
# that have no inflection ending to give them away ("my son forgot", "läraren skrev", "min pappa föll").
VERBS_AFTER_A_PERSON: frozenset[str] = frozenset(
    (
        "told gave took went came got left lost fell broke made put saw met knew kept sent let felt hit ran "
        "sat stood wrote forgot just cannot can't won't doesn't didn't isn't wasn't still only never always "
        "skrev tog gav kom såg slog föll bröt drog satt låg stod bad blev dog sov fann fyller fyllde "
        "har hade är var ska kan vill får fick gick går bor jobbar"
    ).split()
)

# Verbs that follow the subject of a chat message's first sentence: "ros ska byta avdelning", "leyla
# undrar om …", "grace is starting …". Without case, an unknown word there that is no ordinary word (the
# bot's own vocabulary, inflection endings) is the name of the person the message is about.
SUBJECT_VERBS: frozenset[str] = frozenset(
    (
        "ska skall kommer undrar vill har behöver kan får fyller går börjar slutar bor mår är var blir "
        "fick hade gick måste önskar söker saknar pratar jobbar "
        "is was has had will wants needs can cannot could would wonders starts starting lives goes "
        "went asks asked need want are were have live go ask"  # the plural verbs: "rosie and ben need …"
    ).split()
)
# Both verb lists as typed without å/ä/ö ("behover", "mar", "borjar"); not "far" (father), nor "var".
_VERB_COLLISIONS = _PLAIN_COLLISIONS | {"far"}
SUBJECT_VERBS = SUBJECT_VERBS | ({w.translate(_PLAIN) for w in SUBJECT_VERBS} - _VERB_COLLISIONS)
VERBS_AFTER_A_PERSON = VERBS_AFTER_A_PERSON | (
    {w.translate(_PLAIN) for w in VERBS_AFTER_A_PERSON} - _VERB_COLLISIONS
)

# First names that are also ordinary words, which the name lists leave out for that reason: the nature
# and virtue names given in Sweden and in English-speaking countries ("Sol", "Vilja", "Ask", "Storm",
# "Hope", "River"). Read only where nothing but a name fits: between a relative or a role and the person's
# verb ("min dotter vilja har …", "my son river lost …").
WORD_NAMES: frozenset[str] = frozenset(
    (
        "sol vilja ask ros bo dag liv tor storm saga juni ro lo frost bris ek lind sten vide malva iris viol "
        "linnea maj klara nova luna svea idun embla ylva björn ulv sommar höst vinter "
        "hope will june max grace joy faith sunny river sky rain summer autumn mark bill rose lily daisy ivy "
        "holly jade ruby amber pearl dawn hunter chase ray rowan ash rob pat sue jack frank grant hazel "
        "heather olive poppy violet willow august april may sage wren robin"
    ).split()
)

# Words that close a chat message and are not a signature ("…? snälla", "… tack på förhand").
CLOSING_WORDS: frozenset[str] = frozenset(
    (
        "snälla tacksam tacksamma hjälp help brådskande akut lol ok okej thx ty cheers bye hejdå tack "
        "förhand advance urgent asap pls plz mvh thanks regards best kind förlåt ursäkta sorry"
    ).split()
    # labels written before a number or an address, and banks
    + (
        "tel telefon telefonnr telefonnummer mobil mobilnr mobilnummer mobile phone cell mejl mail email "
        "e-post epost konto kontonr kontonummer clearing clearingnr account nr nummer number hem home "
        "arbete work jobb fax bankgiro plusgiro iban personnummer pnr adress address nytt ny new "
        "nordea swedbank handelsbanken seb danske länsförsäkringar ica skandia"
    ).split()
)

# Prepositions that may stand between a name and a right cue: "Per på parkeringen sa att …".
RIGHT_CUE_BRIDGE: frozenset[str] = frozenset("på från i hos vid at from in".split())

# Endings of place and organisation names written as one word ("Lindvägen", "Stenhagsskolan"): a token
# with such an ending is not (part of) a person name.
NON_PERSON_SUFFIXES: tuple[str, ...] = tuple(
    (
        "vägen gatan gränd gränden stigen backen torget allén platsen parken leden liden svängen slingan "
        "skolan skola förskola huset kyrkan sjön berget dalen hagen ängen viken udden stranden gården "
        "planen kommun kommunen förvaltningen nämnden bolaget centralen hallen badet biblioteket centrum "
        "boendet linjen verksamheten avdelningen"
    ).split()
)

# Street, square and park words written apart after a genitive: "Selma Lagerlöfs väg", "Martins gränd",
# "Gustavs torg" name a place after a person, not the person. (A school or a church is left out: "Annas
# skola" is as often the school of a child called Anna.)
STREET_WORDS: frozenset[str] = frozenset(
    (
        "väg vägen vag vagen gata gatan gränd gränden grand granden stig stigen allé allén alle allen "
        "backe backen torg torget plan planen plats platsen led leden park parken gang gången gangen "
        "road street lane square park"
    ).split()
)

# Words that English (and sometimes Swedish) writes with a capital letter inside a sentence although they
# are not names: languages and nationalities, holidays, and illnesses named after a physician. The bot's
# own texts hold some of them; these closed classes are listed whole, so that a capital letter inside a
# sentence is not taken for a name there ("in English or Arabic", "on Walpurgis night", "has Parkinson's").
CAPITALISED_NOT_NAMES: frozenset[str] = frozenset(
    (
        # languages and nationalities most spoken in Swedish municipalities (and the national minorities')
        "swedish swede swedes english arabic somali somalian persian farsi dari pashto tigrinya amharic "
        "eritrean ethiopian afghan afghani syrian iraqi iranian kurdish sorani kurmanji badinani turkish "
        "polish bosnian serbian croatian serbo-croatian albanian greek romanian bulgarian hungarian czech "
        "slovak estonian latvian lithuanian russian ukrainian finnish finn meänkieli meankieli sami saami "
        "romani romany yiddish spanish portuguese french german dutch italian danish norwegian icelandic "
        "chinese mandarin cantonese vietnamese thai tagalog filipino urdu hindi punjabi bengali tamil "
        "nepali mongolian japanese korean swahili oromo wolof lingala european nordic scandinavian "
        "american british african asian arab muslim christian jewish catholic orthodox lutheran "
        # holidays and feasts
        "christmas easter midsummer walpurgis lucia advent whitsun pentecost ramadan eid diwali hanukkah "
        "valborg valborgsmässoafton midsommar halloween "
        # illnesses named after a physician
        "parkinson parkinsons alzheimer alzheimers down downs asperger aspergers tourette tourettes crohn "
        "crohns huntington huntingtons bechterew sjögren sjögrens addison cushing hodgkin lyme menière "
        "montessori waldorf reggio"
    ).split()
)

# Endings of Swedish verbs, adjectives and inflected nouns ("ringer", "spelade", "trevlig", "tiden"). A
# lower-case word with one of them is not taken for a name on the model's word alone.
WORD_ENDINGS: tuple[str, ...] = tuple(
    "er ar or ur de te ad at en et na ig iga lig ligt ning het are ande ende isk iskt ts ss".split()
)

# Adverbs that may stand between a cue and the name: "kontakta gärna …", "ring också …".
CUE_ADVERBS: frozenset[str] = frozenset("gärna också även bara direkt snarast igen please also".split())
