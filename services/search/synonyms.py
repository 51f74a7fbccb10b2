"""Words learners use that the catalogue says differently.

Each line: the beginnings of words people type (folded, see normalise.fold)
and what the catalogue calls the same thing, in either language. This is the
centre's own thesaurus: staff extend it when the unanswered-questions log
shows a new way of asking.
"""

from __future__ import annotations

from services.search.normalise import fold, word_pattern

_TABLE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("stojim", "stoti", "istot", "istoj"), "priėmimas priimami admission apply"),
    (("stojamuos", "stojamiej", "stojamuj"), "stojamųjų egzaminų entrance exams"),
    # "pravai", "pravų" (Russian "права") are everyday slang for a driving licence.
    (
        ("teise", "teisi", "teisem", "teisiu", "pravas", "pravai", "pravu", "pravom"),
        "vairuotojo pažymėjimas licence vairavimo",
    ),
    (("masin", "masiu", "auto", "mašin"), "automobilis automobilių car"),
    (("fur", "fura", "furos", "furoj", "furom", "furist"), "vilkikas puspriekabė CE"),
    (
        ("birz*", "ut", "ldb", "job", "jobcent", "jobseek", "jobless"),
        "užimtumo tarnyba employment service",
    ),
    (
        ("tel", "telefon", "paskamb", "skamb", "numer", "phone", "call"),
        "telefonas kontaktai contacts phone",
    ),
    (("dirbat", "dirbate", "atidar", "open", "veikiat"), "darbo laikas opening hours dirbame"),
    # "bendrikas", "obščiaga": students' slang for the dormitory.
    (
        ("dorm", "accom", "hostel", "bendrik", "obsciag", "housing", "lodging"),
        "bendrabutis dormitory",
    ),
    (
        (
            "zmog",
            "žmog",
            "gyv",
            "operator",
            "human",
            "person",
            "darbuotoj",
            "vadybinink",
            "konsultant",
        ),
        "žmogumi darbuotoju staff person",
    ),
    (("egza", "egzam"), "egzaminas exam"),
    (
        ("krit", "neislaik", "nepraej", "failed", "fail", "flunk", "resit"),
        "perlaikyti retake neišlaikius",
    ),
    (("popier", "paper"), "dokumentai documents"),
    (("praktik", "practic", "placement", "internship"), "praktika placement"),
    (("di", "ai", "chatgpt"), "dirbtinis intelektas AI"),
    (
        (
            "dalim",
            "kartus",
            "instalment",
            "installment",
            "imoka",
            "imokas",
            "imoko",
            "imokom",
            "avans",
        ),
        "dalimis instalments",
    ),
    (
        (
            "autiz",
            "autism",
            "negal",
            "disab",
            "adhd",
            "dysle",
            "disle",
            "neigal",
            "invalida",
            "invalidu",
            "sutrikim",
            "handicap",
            "wheelchair",
            "vezimel",
            "ppt",
        ),
        "specialiųjų ugdymosi poreikių special needs",
    ),
    (("primin", "remind"), "priminimas reminder"),
    (
        ("slaug", "nursing", "nurse", "caregiv", "senel", "elderly"),
        "socialinio darbuotojo padėjėjas social worker assistant",
    ),
    (
        ("nuotol", "distance", "remote", "online", "zoom", "elearning", "hibrid", "hybrid"),
        "nuotoliu online",
    ),
    (("velyk", "easter", "christmas", "sventes", "kaledin", "vacation"), "atostogos holidays"),
    (("uzdar", "closing", "close", "pertrauk", "lunch"), "darbo laikas opening hours"),
    # "povaras" (from Russian) is still said for a cook.
    (("kulinar", "culinar", "gastronom", "cuisine", "povar"), "virėjas cook"),
    (("pastry", "konditer", "desert", "torta"), "konditeris confectioner"),
    (("bartend", "barmen", "koktei", "barman", "barmaid", "barkeep"), "barmenas bartender"),
    (("remont", "taisym", "repair"), "remontas taisymas repair"),
    # ---------------------------------------------------------- formal VET trades
    # Welder: "svarščikas" (from Russian) is still heard; argon means TIG.
    (("svarscik", "svarsik", "svarkin"), "suvirinimas suvirintojas welding"),
    (("argon",), "TIG suvirinimas"),
    (("fabricat",), "welding metalwork"),
    # Electrician: "energetikas" is what many call an electrician.
    (
        ("instaliuot", "energetikas", "energetiko", "energetiku", "energetikai"),
        "elektrikas instaliacija",
    ),
    # Machinist: "tokorius", "tokarka" (lathe), "frezeris" are workshop slang.
    (("tokar", "tokor"), "tekintojas tekinimas staklininkas turner lathe"),
    (("frezer", "frezist"), "frezuotojas frezavimas milling"),
    (("siemens", "scada", "hmi"), "PLC valdikliai automation"),
    (("autosaltkalv", "autoremont", "autoelektrik"), "automechanikas autoservisas mechanic"),
    # Industrial maintenance fitter: "šlesarius" (from Russian) is a fitter.
    (("slesor", "slesar"), "šaltkalvis fitter"),
    (("millwright",), "maintenance fitter"),
    # "oficiantas" (from Russian) is the everyday word for a waiter.
    (("oficiant",), "padavėjas waiter"),
    (("mixolog", "miksolog"), "kokteiliai cocktails"),
    (("banket", "banquet"), "pobūvius banquets"),
    (("sommel", "somelj"), "padavėjas waiter vynų"),
    (("stilist", "stylist", "hairstyl"), "kirpimas šukuosenos hair styling hairdressing"),
    (
        ("buhgalt", "bucalt", "bugalt", "saskaityb"),
        "buhalteris buhalterija apskaita accountant bookkeeping",
    ),
    # Accounting software learners name.
    (("rivil", "finvald", "agnum", "quickbook"), "apskaitos buhalterinė apskaita accounting"),
    (
        ("senuk", "senol", "pagyvenus", "carer", "careworker", "carehome", "geriatr"),
        "senelių elderly care caregiver",
    ),
    (("valym", "clean", "maid"), "kambarinė cleaner housekeeping"),
    # "maliarius" and "štukatūras" (painter, plasterer) are builders' slang.
    (
        ("maliara", "maliaro", "maliariu", "maliaru", "maliark", "stukatur"),
        "dažytojas tinkuotojas apdailininkas",
    ),
    (("gipskart", "gipsokart", "plasterboard", "sheetrock"), "gipso kartonas drywall"),
    (("builder", "statyt"), "statybininkas statybos construction"),
    (("renovac", "renovuot"), "renovation apdaila"),
    (("paint",), "dažytojas painter"),
    (("pipefit",), "vamzdžiai pipes"),
    (("ventiliac", "rekuperac", "rekuperator", "kondicion", "aircon"), "vėdinimas HVAC"),
    (("santech",), "santechnikas plumber"),
    # "plotnikas" (from Russian) is a carpenter.
    (("plotnik",), "dailidė stalius carpenter"),
    (("wood", "wooden", "timber"), "mediena medžio woodworking"),
    (("upholst", "apmusal"), "minkštieji baldai upholstery"),
    # ------------------------------------------------------ courses for adults
    (("perkvalif", "reskill", "upskill"), "persikvalifikavimas retraining"),
    # "pogrūzčikas" (from Russian) and "elektrokaras" are forklifts.
    (("pogruz", "pagruz", "elektrokar", "fork"), "krautuvas forklift"),
    (("baker", "kepykl", "kepti", "kepu"), "kepėjas kepiniai baking"),
    (("cupcake", "keksiuk", "keksas", "makarun", "macaron"), "konditerija kepiniai desserts"),
    # "kafliai" is the colloquial word for tiles.
    (("kafli", "plytelinink", "grout"), "plytelių klojėjas plytelės tiling"),
    (
        ("gelinink", "vainik", "wreath", "ikeban", "floral"),
        "floristika gėlių kompozicijos floristry",
    ),
    (("traktorist",), "traktorininkas tractor"),
    (("farmer", "zemdirb"), "ūkininkas žemės ūkis agriculture"),
    (("laptop", "nesiojam"), "kompiuteris computer"),
    (("smartfon", "iphone", "android"), "išmanusis smartphone"),
    (("skaiciuokl", "spreadsheet"), "Excel"),
    (("evaldz", "egovern"), "valdžios"),
    (("pensinink", "pensioner", "retiree", "retired"), "senjorams seniors"),
    (("lietuvisk", "litovsk"), "lietuvių kalba Lithuanian language"),
    (("migrant", "imigrant", "immigrant", "pabegel", "refugee"), "užsieniečiams foreigners"),
    (("reanimac", "resuscit", "gaivint", "bls"), "gaivinimas CPR AED"),
    # "darbosauga" is written as one word.
    (("darbosaug", "darbusaug", "ohs", "iosh", "nebosh"), "DSS occupational safety OSH"),
    # ------------------------------------------------------------ driving school
    (("license", "licens"), "licence"),
    (("vespa", "atv"), "motoroleris keturratis moped quad"),
    # "motikas", "baikas": a motorbike.
    (("motik", "baika", "baiko", "baiku", "baike", "biker"), "motociklas motorbike"),
    (("camper", "motorhome", "towbar", "tow"), "priekaba kemperis trailer caravan towing"),
    # "gruzovikas" (from Russian) is a lorry; "savivartis" a tipper.
    (("gruzovik", "gruzavik", "savivart", "tipper"), "sunkvežimis truck"),
    (("trucker",), "vilkikas tolimųjų reisų haul"),
    (("kod95", "kodas95", "code95", "dqc"), "95 kodas code 95"),
    # Taking the theory exam without a school's course is "eksternu".
    (("eksterna", "eksternu", "eksternist"), "savarankiškai"),
    # A beginner driver displays a green leaf sign: "žalias lapelis".
    (("lapeli", "probation"), "pradedančiojo"),
    (
        ("poliklinik", "regejim", "akiu", "eyesight", "okulist", "optometr"),
        "medicininė 083 medical",
    ),
    # ------------------------------------------------------------ teacher events
    (("ikt", "ict", "kahoot", "canva", "eduka"), "skaitmeniniai įrankiai digital"),
    # Dual training is what the catalogue calls apprenticeship.
    (("dual", "dualin", "dualu", "duala"), "pameistrystė apprenticeship"),
    (("traineeship", "secondment"), "stažuotė internship"),
    (("erazm",), "Erasmus"),
    # "šešėliavimas" is the Lithuanian term for job shadowing.
    (("seseliav",), "job shadowing stebėjimo vizitas"),
    (("mobing", "mobbing"), "patyčių prevencija bullying prevention"),
    (("drausm",), "valdymas management"),
    (("wellbeing",), "emocinis SEU emotional SEL"),
    (("forum", "simpoz", "symposi", "kongres", "congress"), "konferencija conference"),
    (
        ("pedagogam", "pedagogai", "pedagogu", "destytoj", "educator", "lecturer"),
        "mokytojams teachers",
    ),
    # ------------------------------------------------------------ admin and FAQ
    # "aštuntokas", "dešimtokas": a pupil in year 8, year 10.
    (("astuntok", "devintok", "desimtok"), "klasių klases"),
    # KURSUOK is the individual learning account ("IMP").
    (("imp",), "KURSUOK"),
    (("laborator", "labs", "lab"), "sektorinis laboratorijos"),
    (("nuoras",), "išrašą diplomą"),
    (("teorin", "theoret"), "teorijos theory"),
    (("egzaminuotoj", "examiner"), "Regitra"),
    (("rinkliav",), "mokestis fee"),
    (("parking", "parkuot", "park", "carpark"), "adresas address stovėjimo"),
    (("zemelap", "map", "maps", "gatve", "gatvej", "street", "navigac"), "adresas address"),
    # "meilas" is how many say e-mail.
    (("meilas", "meila", "meilo", "emaila"), "el. paštas email contacts"),
    (("svetain", "website", "tinklalap"), "svetainėje contacts kontaktai"),
    (("terminas", "termino", "terminu", "terminai"), "iki kada priimami prašymai deadline"),
    (("paraisk",), "prašymą application"),
    (("lamabpo", "lamos", "lamoj"), "LAMA BPO"),
    (("konkursin", "atrank"), "atrenkami stojamųjų selected"),
    # Signing up: "užsirašyti", "įrašykite mane".
    (("uzsirasyt", "uzsirasyk", "irasyk", "uzrasyk", "signup", "join"), "registruotis sign"),
    (("ekskurs", "excurs", "apsilank", "tour"), "atvirų apžiūrėti visit"),
    (("nuotrauk", "photos", "passport", "pasport"), "dokumentai nuotraukos documents photos"),
    # Cooks and confectioners need a "sanitarinė knygelė".
    (("sanitarin", "knygel"), "medicininė knygelė record"),
    (("dyka", "dykai", "veltui", "gratis", "biudzetin"), "nemokama nemokami free"),
    (("tuition",), "kiek kainuoja cost"),
    # "stipucha" is students' slang for the stipend.
    (("stipu", "stypend", "bursar"), "stipendija stipend scholarship"),
    (
        ("firma", "firmo", "firmu", "bosas", "boso", "boss", "pvm", "corporat", "korporat"),
        "sąskaitos įmonei employer invoice company",
    ),
    # Studying while working is "neakivaizdinis" in everyday talk.
    (("neakivaizd", "extramural", "parttime"), "vakarinės evening"),
    (("grafikas", "grafiku", "raspis", "schedul", "tamo"), "tvarkaraštis timetable"),
    (("paskaita", "paskaitos", "paskaitu", "paskaitas", "paskaitoj", "lecture"), "pamoka lesson"),
    (("gyventi", "apsigyvent", "pagyventi", "nakvyn"), "apsigyventi bendrabutis dormitory stay"),
    (("galutini", "galutine", "diplomin"), "baigiamasis final"),
    (("savamoksl", "rpl", "validav", "validac", "validat"), "pripažinti patirtį recognition prior"),
    (("sertifikat", "sertefikat", "certifikat"), "pažymėjimas certificate"),
    (("europ", "abroad", "uzsieny", "norvegij"), "ES EU"),
    (("bdar", "gdpr", "privatum", "privacy"), "duomenis data"),
    (("pasalint", "pasalink", "erase", "erasure", "atsijung"), "ištrinti delete"),
    # American spellings of the catalogue's British words.
    (("recogniz",), "recognised recognition"),
    (("center",), "centre"),
    (("color",), "colouring"),
)

SYNONYMS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(fold(p) for p in prefixes), text) for prefixes, text in _TABLE if text
)


# Short beginnings ("auto", "di") would start unrelated words: they match
# only the whole word, unless marked with "*" ("birz*": birža, biržos,
# biržoje).
_PATTERNS = tuple(
    (
        word_pattern(
            (p.rstrip("*") for p in prefixes),
            {p for p in prefixes if len(p) <= 4 and not p.endswith("*")},
        ),
        text,
    )
    for prefixes, text in SYNONYMS
)


def expansions(word: str) -> list[str]:
    """Catalogue wordings for a folded question word, or none."""
    return [text for pattern, text in _PATTERNS if pattern.match(word)]
