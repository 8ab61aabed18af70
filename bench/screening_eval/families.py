"""The evaluation set's own tables of name forms, written for it and not read from the matcher's data
files: given names across languages and short forms, surname spelling families, organisation words
in translation, abbreviations, look-alike characters. Forms are those in common use; names invented."""

from __future__ import annotations

GIVEN_FORMS: dict[str, list[str]] = {
    "stephen": ["Stefan", "István", "Esteban", "Steve", "Étienne"],
    "william": ["Bill", "Billy", "Wilhelm", "Guillaume", "Will"],
    "richard": ["Dick", "Rick", "Ricardo", "Ryszard"],
    "margaret": ["Peggy", "Maggie", "Margarita", "Małgorzata"],
    "peter": ["Piotr", "Pyotr", "Pierre", "Pedro", "Pete"],
    "elizabeth": ["Liz", "Beth", "Betty", "Elisabetta", "Elżbieta"],
    "michael": ["Mike", "Mikhail", "Miguel", "Michał", "Mick"],
    "giuseppe": ["Joseph", "José", "Józef", "Joe"],
    "heinrich": ["Henry", "Henri", "Enrique", "Harry"],
    "javier": ["Xavier", "Xabier"],
    "francisco javier": ["Francis Xavier", "Paco Javier"],
    "álvaro": ["Alvaro"],
    "gonzalo": ["Gonçalo"],
    "joaquín": ["Joachim", "Joaquim"],
    "dimitrios": ["Dmitri", "Demetrius", "Dimitris"],
    "taras": ["Tarasiy"],
    "boris": ["Borys"],
    "kirill": ["Cyril", "Kyrylo"],
    "gennady": ["Hennadiy", "Gennadiy"],
    "lyudmila": ["Ludmila", "Liudmyla"],
    "oksana": ["Aksana"],
    "yaroslav": ["Jaroslav", "Jarosław"],
    "marek": ["Mark", "Marco", "Marcus"],
    "mehmet": ["Muhammad", "Mohammed", "Mehmed"],
    "ayşe": ["Aisha", "Aysha", "Aishah"],
    "kourosh": ["Cyrus", "Kurosh"],
    "dariush": ["Darius", "Daryush"],
    "abdulkarim": ["Abd al-Karim", "Abdel Karim", "Abdul Karim"],
    "abd al-rahim": ["Abdulrahim", "Abdel Rahim", "Abdurrahim"],
    "osama": ["Usama", "Oussama"],
    "huda": ["Houda", "Hoda"],
    "walid": ["Waleed", "Oualid"],
    "nabil": ["Nabeel"],
    "bilal": ["Belal"],
    "layla": ["Leila", "Laila"],
    "karim": ["Kareem", "Carim"],
    "salma": ["Selma"],
    "samir": ["Sameer"],
    "rami": ["Ramy"],
    "tariq": ["Tarek", "Tareq"],
    "asif": ["Aasif"],
    "junaid": ["Junayd"],
    "zubair": ["Zubayr", "Zubeir"],
    "nasreen": ["Nasrin"],
    "abdoulaye": ["Abdullahi", "Abdallah"],
    "seydou": ["Saidou"],
    "aissatou": ["Aishatu", "Aisatou"],
}

SURNAME_FORMS: dict[str, list[str]] = {
    "chowdhury": ["Chaudhry", "Choudhury", "Chaudhary", "Chowdhry"],
    "chaudhary": ["Chaudhry", "Chowdhury", "Choudhary", "Chaudhari"],
    "siddique": ["Siddiqui", "Siddiqi"],
    "etxeberria goikoetxea": ["Echeberria Goicoechea", "Echeverria Goikoetxea"],
    "etxebarria": ["Echebarria", "Echevarria"],
    "valdovinos": ["Baldovinos"],
    "villaverde": ["Billaverde", "Vilaverde"],
    "barrientos vela": ["Barrientos Bela", "Varrientos Vela"],
    "balbuena": ["Valbuena"],
    "benavides": ["Venavides", "Benavidez"],
    "bekov": ["Bekoff", "Bekow", "Bekov"],
    "kolosov": ["Kolossov", "Kolosoff", "Kolosow"],
    "dyatlov": ["Diatlov", "Djatlow", "Dyatloff"],
    "sevastyanov": ["Sevastianov", "Sewastjanow", "Sevastyanoff"],
    "obraztsov": ["Obrazcov", "Obraztsoff", "Obrazzow"],
    "shchukin": ["Schukin", "Shtchukin", "Ščukin"],
    "zhuravleva": ["Zhuravlyova", "Juravleva", "Schurawljowa"],
    "tsybulin": ["Tsibulin", "Cybulin"],
    "hnatyuk": ["Gnatyuk", "Hnatiuk"],
    "kravets": ["Kravec", "Krawez"],
    "vukmirović": ["Vukmirovic", "Vukmirovich"],
    "szczepaniak": ["Shchepaniak", "Szczepanyak"],
    "hartwell": ["Hartwel"],
    "ghasemzadeh": ["Qasemzadeh", "Kasemzadeh", "Ghassemzadeh"],
    "noorbakhsh": ["Nurbakhsh", "Nourbakhsh"],
    "farahmandi": ["Farahmandy"],
    "kocabaşoğlu": ["Kocabasoglu", "Kodjabashoglu"],
    "al-mahrouqi": ["Al-Mahruqi", "Mahrouqi", "El Mahrouqi"],
    "al-qaisari": ["Al-Qaysari", "Alqaisari", "El Kaisari"],
    "al-khouli": ["El-Khouly", "Al Khuli", "Elkholy"],
    "al-dabbagh": ["Al-Dabagh", "Aldabbagh", "El Dabbagh"],
    "qutaishat": ["Qteishat", "Kutaishat"],
    "diakité": ["Diakite", "Jakite"],
    "konaté": ["Konate", "Konatey"],
    "traoré-keita": ["Traore Keita", "Traore-Keyta"],
}

# One word of an organisation name and its counterpart in English or romanised Arabic or Urdu.
ORG_TRANSLATIONS: dict[str, list[str]] = {
    "jabhat": ["Front"],
    "jaish": ["Army", "Jeish"],
    "harakat": ["Movement", "Haraka"],
    "kataib": ["Brigades", "Kataeb"],
    "majlis": ["Council", "Majles"],
    "tanzeem": ["Organisation", "Tanzim"],
    "tehreek": ["Movement", "Tehrik"],
    "shabab": ["Youth"],
    "ansar": ["Supporters"],
    "saif": ["Sword", "Sayf"],
    "front": ["Jabhat", "Jabha"],
    "army": ["Jaish", "Lashkar"],
    "movement": ["Harakat", "Tehreek"],
    "brigade": ["Kataib"],
    "council": ["Majlis", "Shura"],
    "martyrs": ["Shuhada"],
    "foundation": ["Muassasa"],
    "sword": ["Saif"],
    "dawn": ["Fajr"],
}

# Words and their abbreviations as UK lists and forms write them.
ORG_ABBREVIATIONS: dict[str, list[str]] = {
    "brigade": ["Bde", "Bde."],
    "regiment": ["Regt", "Regt."],
    "battalion": ["Bn", "Bn."],
    "division": ["Div.", "Div"],
    "company": ["Coy", "Coy."],
    "committee": ["Cttee", "Cttee."],
    "association": ["Assn", "Assn."],
    "international": ["Intl", "Int'l"],
    "english": ["Eng."],
    "scottish": ["Scot."],
    "british": ["Brit."],
    "northern": ["N."],
    "north": ["N."],
    "eastern": ["E."],
    "foundation": ["Fdn"],
    "movement": ["Mvmt"],
}

PLACE_SWAPS: dict[str, list[str]] = {"uk": ["GB", "Britain", "of Britain", "of Great Britain"]}

# Look-alike letters of other scripts (Cyrillic and Greek) for Latin letters.
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "κ"}
LEET = {"o": "0", "e": "3", "a": "4", "i": "1", "s": "5", "t": "7"}
SYMBOLS = {"a": "@", "s": "$"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"]

# Latin to Cyrillic for Slavic names, longest letters first (for other-script variants).
CYRILLIC = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
    ("ya", "я"), ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"),
    ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "г"), ("j", "й"),
]  # fmt: skip

# Generic respellings (transliteration habits) for parts the hand-written respellings lack.
RESPELL_RULES = [
    ("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("q", "k"), ("y", "i"), ("i", "y"), ("ph", "f"),
    ("v", "w"), ("ks", "x"), ("x", "ks"), ("sh", "sch"), ("c", "k"), ("k", "c"), ("z", "s"), ("ei", "ey"),
    ("ie", "ye"), ("dj", "j"), ("j", "dj"), ("oo", "u"), ("aa", "a"), ("h", ""), ("ll", "l"), ("tt", "t"),
]  # fmt: skip
