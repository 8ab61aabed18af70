# ruff: noqa: E501  # the name pools and spelling tables are data, clearer one table per line
"""Generates the screening evaluation set in bench/data/screening_eval (deterministic; invented names).

Run: python bench/make_screening_eval.py  (rewrites flagged.csv, variants.csv, ordinary.csv)

The flagged names are invented combinations of name parts. Variants are produced by transformations
independent of the matcher (its data files are not read here). Ordinary names are drawn from the same
pools of parts, so they share given names, surnames and generic words with flagged entries, as real
applicants do; an ordinary name sharing two or more parts with one flagged name is redrawn (that
would be a genuine possible match, for an officer to look at).
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

OUT = Path(__file__).parent / "data" / "screening_eval"
SEED = 20240521

# (culture, given, middle, surname, other-script form or "")
PERSONS: list[tuple[str, str, str, str, str]] = [
    ("arabic", "Khalid", "Faris", "Al-Zahrani", "خالد فارس الزهراني"),
    ("arabic", "Uthman", "Sami", "Haddad", "عثمان سامي حداد"),
    ("arabic", "Yusuf", "Nabil", "Qassem", "يوسف نبيل قاسم"),
    ("arabic", "Tariq", "Ziad", "Mansour", "طارق زياد منصور"),
    ("arabic", "Abdulrahman", "Hamza", "Khatib", "عبدالرحمن حمزة خطيب"),
    ("arabic", "Fatima", "Nour", "Darwish", "فاطمة نور درويش"),
    ("arabic", "Ibrahim", "Adel", "Shami", "إبراهيم عادل شامي"),
    ("arabic", "Mohammed", "Saleh", "Obeidat", "محمد صالح عبيدات"),
    ("south_asian", "Imran", "Tariq", "Chaudhry", "عمران طارق چودھری"),
    ("south_asian", "Farhan", "Ali", "Qureshi", ""),
    ("south_asian", "Nadia", "Parveen", "Siddiqui", ""),
    ("south_asian", "Rizwan", "Ahmed", "Lodhi", ""),
    ("south_asian", "Sanjay", "Kumar", "Vaghela", ""),
    ("south_asian", "Harpreet", "Singh", "Dhaliwal", ""),
    ("south_asian", "Shoaib", "Danish", "Mirza", ""),
    ("south_asian", "Mohammed", "Usman", "Rathore", ""),
    ("slavic", "Yevgeny", "Petrovich", "Sorokin", "Евгений Петрович Сорокин"),
    ("slavic", "Aleksandr", "Viktorovich", "Zhdanov", "Александр Викторович Жданов"),
    ("slavic", "Dmitri", "Olegovich", "Lukashin", "Дмитрий Олегович Лукашин"),
    ("slavic", "Oleksandr", "", "Hrytsenko", "Олександр Гриценко"),
    ("slavic", "Natalya", "Sergeyevna", "Belova", "Наталья Сергеевна Белова"),
    ("slavic", "Grigory", "", "Tsvetkov", "Григорий Цветков"),
    ("slavic", "Mikhail", "Aleksandrovich", "Gorbunov", "Михаил Александрович Горбунов"),
    ("slavic", "Tomasz", "Jan", "Wróblewski", ""),
    ("east_asian", "Wenjie", "", "Liang", "梁文杰"),
    ("east_asian", "Meiling", "", "Zhao", "赵美玲"),
    ("east_asian", "Guohua", "", "Chen", "陈国华"),
    ("east_asian", "Zhiqiang", "", "Huang", "黄志强"),
    ("east_asian", "Xiaodong", "", "Lin", "林晓东"),
    ("east_asian", "Min-jun", "", "Park", ""),
    ("east_asian", "Van Thanh", "", "Nguyen", ""),
    ("east_asian", "Hiroshi", "", "Tanabe", ""),
    ("west_african", "Chukwuemeka", "Obiora", "Nwachukwu", ""),
    ("west_african", "Oluwaseun", "Adeyinka", "Balogun", ""),
    ("west_african", "Kwabena", "Asamoah", "Frimpong", ""),
    ("west_african", "Mamadou", "Lamine", "Sissoko", ""),
    ("west_african", "Ngozi", "Chiamaka", "Eze-Okoli", ""),
    ("west_african", "Ousmane", "", "Fofana", ""),
    ("west_african", "Adebayo", "Olamide", "Ogunbiyi", ""),
    ("west_african", "Fatoumata", "Binta", "Camara", ""),
    ("european", "Gareth", "Alan", "Pemberton", ""),
    ("european", "Siobhan", "Marie", "Callaghan", ""),
    ("european", "Dieter", "", "Hoffmann-Krause", ""),
    ("european", "Pieter", "", "van der Berghe", ""),
    ("european", "Stavros", "", "Kyriakidis", "Σταύρος Κυριακίδης"),
    ("european", "Łukasz", "", "Grabowski", ""),
    ("european", "Fiona", "Margaret", "Strachan", ""),
    ("european", "Jean-Luc", "", "Marchetti", ""),
    ("hispanic", "José", "Manuel", "Castañeda Ruiz", ""),
    ("hispanic", "María", "Fernanda", "Villalobos", ""),
    ("hispanic", "Juan", "Carlos", "Echeverría", ""),
    ("hispanic", "Guillermo", "", "Ortega Salazar", ""),
    ("hispanic", "Ximena", "", "Paredes Lozano", ""),
    ("hispanic", "Rodrigo", "Alejandro", "Cifuentes", ""),
    ("hispanic", "Javier", "", "Montoya Quintero", ""),
    ("hispanic", "Lucía", "Beatriz", "Arellano", ""),
]

# (name, aliases)
ORGANISATIONS: list[tuple[str, list[str]]] = [
    ("Northern Dawn Brigade", ["NDB"]),
    ("Crimson Crescent Front", []),
    ("Eastern Sword Movement", ["Movement of the Eastern Sword"]),
    ("Iron Vanguard Collective", []),
    ("Al-Fajr Martyrs Foundation", ["Fajr Martyrs Fund"]),
    ("Black Meridian Network", []),
    ("White Tide Patriots", ["WTP Action"]),
    ("Red Valley Liberation Army", []),
    ("Sons of the Granite Hills", []),
    ("Ummah Shield Relief Trust", []),
    ("New Dawn Solidarity Association", []),
    ("Phoenix Resistance Council", []),
    ("Volga Iron Legion", ["Волжский железный легион"]),
    ("Golden Horizon Brotherhood", []),
]

# Alternative spellings a hirer or another list might use (written for this set, not the matcher's data).
RESPELLINGS: dict[str, list[str]] = {
    "khalid": ["Khaled", "Kaled"],
    "al-zahrani": ["Alzahrani", "El Zahrani", "Zahrani"],
    "uthman": ["Othman", "Osman", "Usman"],
    "haddad": ["Hadad"],
    "yusuf": ["Youssef", "Yousef", "Yousif"],
    "qassem": ["Qasim", "Kassem", "Kasem"],
    "tariq": ["Tarek", "Tareq"],
    "mansour": ["Mansur", "Mansoor"],
    "abdulrahman": ["Abdul Rahman", "Abdurrahman", "Abdelrahman"],
    "hamza": ["Hamzah"],
    "khatib": ["Al-Khatib", "Khateeb"],
    "fatima": ["Fatimah", "Fatma"],
    "nour": ["Noor", "Nur"],
    "darwish": ["Darweesh", "Derwish"],
    "ibrahim": ["Ebrahim", "Ibraheem"],
    "shami": ["Al Shami", "Shamy"],
    "mohammed": ["Muhammad", "Mohamed", "Mohammad"],
    "saleh": ["Salih", "Saaleh"],
    "obeidat": ["Obaidat", "Ubeidat"],
    "imran": ["Imraan"],
    "chaudhry": ["Choudhury", "Chaudhary", "Chowdhury"],
    "farhan": ["Farhaan"],
    "qureshi": ["Kureshi", "Quraishi"],
    "siddiqui": ["Siddiqi", "Sidiqui"],
    "rizwan": ["Rizwaan", "Ridwan"],
    "lodhi": ["Lodi"],
    "vaghela": ["Waghela"],
    "dhaliwal": ["Dhaliwaal"],
    "shoaib": ["Shuaib", "Shoayb"],
    "rathore": ["Rathor", "Rathour"],
    "usman": ["Osman", "Uthman"],
    "parveen": ["Perveen", "Parvin"],
    "yevgeny": ["Evgeny", "Evgeniy", "Yevgeniy"],
    "sorokin": ["Sorokine"],
    "aleksandr": ["Alexander", "Alexandr"],
    "zhdanov": ["Jdanov", "Zhdanoff"],
    "dmitri": ["Dmitry", "Dmitriy", "Dmitrii"],
    "lukashin": ["Lukashyn", "Loukachine"],
    "oleksandr": ["Aleksandr", "Olexandr"],
    "hrytsenko": ["Gritsenko", "Hritsenko"],
    "natalya": ["Natalia", "Nataliya"],
    "belova": ["Byelova"],
    "grigory": ["Grigoriy", "Grigorii", "Hryhoriy"],
    "tsvetkov": ["Tsvetkoff", "Cvetkov"],
    "mikhail": ["Mikhael", "Mykhailo"],
    "gorbunov": ["Gorbunoff"],
    "tomasz": ["Tomas"],
    "wróblewski": ["Wroblewsky"],
    "wenjie": ["Wen Jie", "Wen-Jie"],
    "meiling": ["Mei Ling", "Mei-Ling"],
    "guohua": ["Guo Hua", "Guo-hua"],
    "zhiqiang": ["Zhi Qiang", "Zhi-Qiang"],
    "xiaodong": ["Xiao Dong", "Xiao-Dong"],
    "min-jun": ["Minjun", "Min Jun"],
    "van thanh": ["Van-Thanh"],
    "chukwuemeka": ["Chukwu-Emeka", "Chukwuemeke"],
    "nwachukwu": ["Nwachukwuh"],
    "oluwaseun": ["Oluwasean"],
    "balogun": ["Ballogun"],
    "mamadou": ["Mamadu", "Mamoudou"],
    "sissoko": ["Sisoko", "Cissoko"],
    "ousmane": ["Usman", "Osman"],
    "fofana": ["Fofanah"],
    "fatoumata": ["Fatumata"],
    "camara": ["Kamara"],
    "siobhan": ["Shevaun"],
    "callaghan": ["O'Callaghan", "Calahan"],
    "hoffmann-krause": ["Hofmann-Krause", "Hoffmann Krauze"],
    "van der berghe": ["Vanderberghe", "van den Berghe"],
    "kyriakidis": ["Kiriakidis", "Kyriakides"],
    "łukasz": ["Lukasz", "Lucas"],
    "strachan": ["Strahan"],
    "jean-luc": ["Jean Luc", "Jeanluc"],
    "marchetti": ["Marketti"],
    "castañeda ruiz": ["Castaneda Ruis", "Castañeda-Ruiz"],
    "villalobos": ["Villa-Lobos", "Vilalobos"],
    "echeverría": ["Echevarria", "Etxeberria"],
    "ortega salazar": ["Ortega Zalazar"],
    "ximena": ["Jimena", "Gimena"],
    "cifuentes": ["Sifuentes"],
    "montoya quintero": ["Montolla Quintero"],
    "lucía": ["Luzia"],
    "arellano": ["Arrellano"],
    "javier": ["Xavier", "Havier"],
    "guillermo": ["Guilermo"],
    "rodrigo": ["Rodrygo"],
}

POOLS: dict[str, tuple[list[str], list[str]]] = {
    "arabic": (
        [
            "Mohammed",
            "Ahmed",
            "Ali",
            "Omar",
            "Khalid",
            "Yusuf",
            "Ibrahim",
            "Hassan",
            "Hussein",
            "Mahmoud",
            "Tariq",
            "Sami",
            "Nabil",
            "Adel",
            "Ziad",
            "Faris",
            "Karim",
            "Walid",
            "Bilal",
            "Hamza",
            "Amin",
            "Amir",
            "Samir",
            "Nasser",
            "Jamal",
            "Rami",
            "Bassam",
            "Fadi",
            "Majid",
            "Osama",
            "Anas",
            "Aisha",
            "Fatima",
            "Mariam",
            "Layla",
            "Noor",
            "Huda",
            "Salma",
            "Rania",
            "Dalia",
            "Hiba",
            "Yasmin",
            "Reem",
            "Amal",
            "Sara",
            "Nadia",
            "Lina",
            "Zainab",
            "Khadija",
            "Uthman",
            "Saleh",
        ],
        [
            "Haddad",
            "Mansour",
            "Khatib",
            "Darwish",
            "Shami",
            "Obeidat",
            "Qassem",
            "Saleh",
            "Hamdan",
            "Nasser",
            "Khoury",
            "Aziz",
            "Suleiman",
            "Hijazi",
            "Masri",
            "Al-Amin",
            "Al-Hashimi",
            "Al-Farsi",
            "Al-Tamimi",
            "Al-Harbi",
            "Al-Otaibi",
            "Al-Shehri",
            "Qasim",
            "Hussein",
            "Ibrahim",
            "Abdullah",
            "Salem",
            "Yousef",
            "Jaber",
            "Awad",
            "Najjar",
            "Sabbagh",
            "Tahan",
            "Halabi",
            "Bakri",
            "Daher",
            "Zidan",
            "Rashed",
            "Kanaan",
            "Barakat",
            "Mahmoud",
            "Saad",
        ],
    ),
    "south_asian": (
        [
            "Mohammed",
            "Imran",
            "Tariq",
            "Farhan",
            "Ali",
            "Rizwan",
            "Ahmed",
            "Sanjay",
            "Harpreet",
            "Shoaib",
            "Usman",
            "Asif",
            "Arif",
            "Kamran",
            "Faisal",
            "Zubair",
            "Adnan",
            "Naveen",
            "Rajesh",
            "Amit",
            "Vikram",
            "Gurpreet",
            "Jaspreet",
            "Mandeep",
            "Nadia",
            "Parveen",
            "Ayesha",
            "Sana",
            "Hina",
            "Saima",
            "Priya",
            "Anjali",
            "Neha",
            "Pooja",
            "Simran",
            "Rukhsana",
            "Shabana",
            "Nasreen",
            "Farzana",
            "Bushra",
            "Raheel",
            "Danish",
            "Bilal",
            "Junaid",
            "Waqar",
        ],
        [
            "Khan",
            "Chaudhry",
            "Qureshi",
            "Siddiqui",
            "Malik",
            "Lodhi",
            "Vaghela",
            "Dhaliwal",
            "Mirza",
            "Rathore",
            "Hussain",
            "Shah",
            "Butt",
            "Akhtar",
            "Iqbal",
            "Raza",
            "Rizvi",
            "Patel",
            "Sharma",
            "Gupta",
            "Singh",
            "Kaur",
            "Sandhu",
            "Gill",
            "Bains",
            "Sidhu",
            "Mehta",
            "Joshi",
            "Desai",
            "Begum",
            "Bibi",
            "Ahmed",
            "Rahman",
            "Uddin",
            "Miah",
            "Choudhury",
            "Hossain",
            "Islam",
            "Awan",
            "Bhatti",
            "Janjua",
            "Abbasi",
            "Ansari",
            "Hashmi",
            "Naqvi",
        ],
    ),
    "slavic": (
        [
            "Yevgeny",
            "Aleksandr",
            "Dmitri",
            "Oleksandr",
            "Natalya",
            "Grigory",
            "Mikhail",
            "Tomasz",
            "Sergei",
            "Andrei",
            "Ivan",
            "Nikolai",
            "Vladimir",
            "Olga",
            "Elena",
            "Irina",
            "Tatiana",
            "Svetlana",
            "Anna",
            "Maria",
            "Pavel",
            "Viktor",
            "Igor",
            "Oleg",
            "Yuri",
            "Anatoly",
            "Konstantin",
            "Vasily",
            "Piotr",
            "Krzysztof",
            "Marek",
            "Katarzyna",
            "Agnieszka",
            "Magdalena",
            "Jan",
            "Petr",
            "Jakub",
            "Lukas",
            "Milan",
            "Dragan",
            "Zoran",
            "Ana",
            "Jelena",
            "Ivana",
            "Bogdan",
        ],
        [
            "Sorokin",
            "Zhdanov",
            "Lukashin",
            "Hrytsenko",
            "Belova",
            "Tsvetkov",
            "Gorbunov",
            "Wróblewski",
            "Ivanov",
            "Petrov",
            "Smirnov",
            "Kuznetsov",
            "Popov",
            "Sokolov",
            "Volkov",
            "Lebedev",
            "Morozov",
            "Novikov",
            "Fedorov",
            "Kovalenko",
            "Shevchenko",
            "Bondarenko",
            "Tkachenko",
            "Melnyk",
            "Boyko",
            "Kravchenko",
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
            "Novák",
            "Dvořák",
            "Horvat",
            "Petrović",
            "Jovanović",
            "Nikolić",
            "Ivanova",
            "Petrova",
            "Sokolova",
            "Belov",
            "Sorokina",
            "Zhukov",
            "Orlov",
        ],
    ),
    "east_asian": (
        [
            "Wenjie",
            "Meiling",
            "Guohua",
            "Zhiqiang",
            "Xiaodong",
            "Min-jun",
            "Hiroshi",
            "Wei",
            "Jing",
            "Li",
            "Ming",
            "Hua",
            "Hong",
            "Yan",
            "Ying",
            "Jun",
            "Lei",
            "Fang",
            "Xiaoming",
            "Jianguo",
            "Haiyan",
            "Yuqing",
            "Zihan",
            "Yichen",
            "Ji-woo",
            "Seo-yeon",
            "Hyun-woo",
            "Ji-ho",
            "Takashi",
            "Yuki",
            "Kenji",
            "Haruka",
            "Akiko",
            "Van",
            "Minh",
            "Thi",
            "Lan",
            "Duc",
            "Anh",
            "Thu",
            "Huong",
            "Quang",
            "Hai",
            "Bao",
            "Mei",
        ],
        [
            "Liang",
            "Zhao",
            "Chen",
            "Huang",
            "Lin",
            "Park",
            "Nguyen",
            "Tanabe",
            "Wang",
            "Li",
            "Zhang",
            "Liu",
            "Yang",
            "Wu",
            "Zhou",
            "Xu",
            "Sun",
            "Ma",
            "Zhu",
            "Hu",
            "Guo",
            "He",
            "Kim",
            "Lee",
            "Choi",
            "Jung",
            "Kang",
            "Cho",
            "Yoon",
            "Sato",
            "Suzuki",
            "Takahashi",
            "Watanabe",
            "Ito",
            "Yamamoto",
            "Nakamura",
            "Tran",
            "Le",
            "Pham",
            "Hoang",
            "Vu",
            "Dang",
            "Bui",
            "Do",
        ],
    ),
    "west_african": (
        [
            "Chukwuemeka",
            "Oluwaseun",
            "Kwabena",
            "Mamadou",
            "Ngozi",
            "Ousmane",
            "Adebayo",
            "Fatoumata",
            "Emeka",
            "Chidi",
            "Nnamdi",
            "Chinedu",
            "Obinna",
            "Tunde",
            "Femi",
            "Kemi",
            "Bola",
            "Funmilayo",
            "Yewande",
            "Kwame",
            "Kofi",
            "Yaw",
            "Ama",
            "Akosua",
            "Abena",
            "Efua",
            "Amadou",
            "Ibrahima",
            "Seydou",
            "Aminata",
            "Aissatou",
            "Mariama",
            "Binta",
            "Lamine",
            "Moussa",
            "Cheikh",
            "Adama",
            "Olamide",
            "Obiora",
            "Adeyinka",
            "Chiamaka",
            "Asamoah",
        ],
        [
            "Nwachukwu",
            "Balogun",
            "Frimpong",
            "Sissoko",
            "Eze-Okoli",
            "Fofana",
            "Ogunbiyi",
            "Camara",
            "Okafor",
            "Okeke",
            "Eze",
            "Obi",
            "Nwosu",
            "Okonkwo",
            "Adeyemi",
            "Ogunleye",
            "Adewale",
            "Oyelaran",
            "Bello",
            "Mensah",
            "Owusu",
            "Asante",
            "Boateng",
            "Osei",
            "Appiah",
            "Adjei",
            "Danso",
            "Diallo",
            "Traoré",
            "Koné",
            "Coulibaly",
            "Touré",
            "Sow",
            "Diop",
            "Ndiaye",
            "Bah",
            "Keita",
            "Sanogo",
            "Cissé",
            "Kamara",
            "Conteh",
            "Sesay",
            "Bangura",
        ],
    ),
    "european": (
        [
            "Gareth",
            "Siobhan",
            "Dieter",
            "Pieter",
            "Stavros",
            "Łukasz",
            "Fiona",
            "Jean-Luc",
            "John",
            "David",
            "James",
            "Michael",
            "Paul",
            "Mary",
            "Sarah",
            "Emma",
            "Thomas",
            "Richard",
            "Robert",
            "William",
            "Daniel",
            "Matthew",
            "Andrew",
            "Anne",
            "Elizabeth",
            "Jane",
            "Susan",
            "Helen",
            "Laura",
            "Rachel",
            "Claire",
            "Hans",
            "Klaus",
            "Sabine",
            "Pierre",
            "Marie",
            "Sophie",
            "Giorgos",
            "Eleni",
            "Marco",
            "Giulia",
            "Lars",
            "Ingrid",
            "Sean",
            "Aoife",
            "Alan",
            "Margaret",
            "Colin",
        ],
        [
            "Pemberton",
            "Callaghan",
            "Hoffmann-Krause",
            "van",
            "der",
            "Berghe",
            "Kyriakidis",
            "Grabowski",
            "Strachan",
            "Marchetti",
            "Smith",
            "Jones",
            "Williams",
            "Brown",
            "Taylor",
            "Davies",
            "Evans",
            "Wilson",
            "Thomas",
            "Roberts",
            "Robinson",
            "Thompson",
            "Wright",
            "Walker",
            "White",
            "Edwards",
            "Hughes",
            "Green",
            "Hall",
            "Wood",
            "Harris",
            "Lewis",
            "Martin",
            "Jackson",
            "Clarke",
            "Murphy",
            "Kelly",
            "O'Brien",
            "Müller",
            "Schmidt",
            "Dubois",
            "Lefebvre",
            "Rossi",
            "Bianchi",
            "Papadopoulos",
            "Jansen",
            "de",
            "Vries",
            "Hansen",
            "MacDonald",
            "Campbell",
        ],
    ),
    "hispanic": (
        [
            "José",
            "Manuel",
            "María",
            "Fernanda",
            "Juan",
            "Carlos",
            "Guillermo",
            "Ximena",
            "Rodrigo",
            "Alejandro",
            "Javier",
            "Lucía",
            "Beatriz",
            "Luis",
            "Jorge",
            "Pedro",
            "Miguel",
            "Antonio",
            "Francisco",
            "Pablo",
            "Sergio",
            "Fernando",
            "Ricardo",
            "Rafael",
            "Diego",
            "Andrés",
            "Carmen",
            "Isabel",
            "Sofía",
            "Valentina",
            "Camila",
            "Daniela",
            "Gabriela",
            "Paula",
            "Elena",
            "Marta",
            "Ana",
            "Rosa",
            "Alberto",
            "Enrique",
            "Raúl",
            "Óscar",
            "Adriana",
        ],
        [
            "Castañeda",
            "Ruiz",
            "Villalobos",
            "Echeverría",
            "Ortega",
            "Salazar",
            "Paredes",
            "Lozano",
            "Cifuentes",
            "Montoya",
            "Quintero",
            "Arellano",
            "García",
            "Rodríguez",
            "González",
            "Fernández",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Díaz",
            "Hernández",
            "Torres",
            "Ramírez",
            "Flores",
            "Rivera",
            "Morales",
            "Jiménez",
            "Vargas",
            "Castro",
            "Romero",
            "Herrera",
            "Medina",
            "Aguilar",
            "Reyes",
            "Cruz",
            "Navarro",
            "Mendoza",
            "Vega",
            "Ríos",
            "Delgado",
        ],
    ),
}

ORG_PLACES = [
    "Leeds",
    "Bradford",
    "Northfield",
    "Eastside",
    "Riverside",
    "Greenway",
    "Hillcrest",
    "Oakwood",
    "Meadow",
    "Bridgend",
    "Harbour",
    "Valley",
]
ORG_WORDS = [
    "Dawn",
    "Crescent",
    "Horizon",
    "Phoenix",
    "Iron",
    "Golden",
    "Black",
    "White",
    "Red",
    "New",
    "Eastern",
    "Northern",
    "Granite",
    "Shield",
    "Tide",
    "Legion",
    "Unity",
    "Hope",
    "Peace",
    "Light",
    "Star",
    "Oak",
    "Rose",
    "Bridge",
    "Harmony",
    "Friendship",
    "Rainbow",
    "Sunrise",
    "Meridian",
    "Sword",
    "Valley",
    "Hills",
]
ORG_TYPES = [
    "Community Association",
    "Youth Club",
    "Women's Group",
    "Residents Association",
    "Cultural Centre",
    "Education Trust",
    "Relief Trust",
    "Foundation",
    "Network",
    "Football Club",
    "Arts Collective",
    "Islamic Centre",
    "Church",
    "Mosque",
    "Gurdwara",
    "Elders Lunch Club",
    "Supplementary School",
    "Community Interest Company",
    "Choir",
    "Cricket Club",
    "Heritage Society",
    "Refugee Support Group",
    "Brotherhood Lodge",
    "Solidarity Fund",
    "Mutual Aid Society",
]
ORG_SUFFIXES = ["", "", "", " Ltd", " CIC", " CIO", " UK", " Limited"]
ORG_PREFIXES = [
    "",
    "",
    "",
    "The ",
    "Al-Noor ",
    "St Mary's ",
    "Polish ",
    "Somali ",
    "Tamil ",
    "Ukrainian ",
    "Caribbean ",
]


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^a-zà-ÿœłśńźżćęąőűčřžšďťň'’-]+", name.lower().replace("-", " ")) if t}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    operation = rng.choice(["swap", "drop", "double", "replace"])
    if operation == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if operation == "drop":
        return word[:i] + word[i + 1 :]
    if operation == "double":
        return word[:i] + word[i] + word[i:]
    letter = rng.choice("aeioulnrst")
    return word[:i] + letter + word[i + 1 :]


def _respell(rng: random.Random, part: str) -> str:
    options = RESPELLINGS.get(part.lower())
    return rng.choice(options) if options else part


def _person_variants(rng: random.Random, entry: tuple[str, str, str, str, str]) -> list[tuple[str, str]]:
    _culture, given, middle, surname, script = entry
    out: list[tuple[str, str]] = []
    if script:
        words = script.split()
        if len(words) == 3 and rng.random() < 0.5:
            words = [words[0], words[2]]  # other script with the middle name dropped
        out.append(("other_script", " ".join(words)))
    full_respelt = " ".join(
        p for p in (_respell(rng, given), _respell(rng, middle), _respell(rng, surname)) if p
    )
    out.append(("transliteration", full_respelt))
    if middle:
        out.append(("dropped_middle", f"{_respell(rng, given) if rng.random() < 0.5 else given} {surname}"))
        out.append(("initials", f"{given[0]}. {middle[0]}. {surname}"))
    else:
        out.append(("initials", f"{given[0]}. {surname}"))
    out.append(("reordered", f"{surname.upper()}, {given}{' ' + middle if middle else ''}"))
    longest = max((given, surname), key=len)
    out.append(
        ("typo", " ".join(p for p in (given, middle, surname) if p).replace(longest, _typo(rng, longest), 1))
    )
    if rng.random() < 0.5:
        out.append(("reordered", f"{_respell(rng, surname)} {_respell(rng, given)}"))
    return out


_ABBREVIATE = {
    "Association": "Assoc.",
    "Foundation": "Fdn",
    "Committee": "Cttee",
    "Movement": "Mvmt",
    "and": "&",
}


def _org_variants(rng: random.Random, name: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    out.append(
        (
            "legal_form",
            rng.choice(["The ", ""]) + name + rng.choice([" Ltd", " Limited", " CIC", " UK", " (UK) Ltd"]),
        )
    )
    out.append(("legal_form", "The " + name.upper() + rng.choice(["", " Group", " Trust"])))
    abbreviated = " ".join(_ABBREVIATE.get(w, w) for w in name.split())
    if abbreviated != name:
        out.append(("abbreviation", abbreviated))
    words = name.split()
    longest = max(words, key=len)
    out.append(("typo", name.replace(longest, _typo(rng, longest), 1)))
    respelt = name.replace("Al-Fajr", "El Fajr").replace("Ummah", "Umma").replace("Brigade", "Brigades")
    respelt = (
        respelt.replace("Council", "Councils")
        .replace("Patriots", "Patriot")
        .replace("Brotherhood", "Brother-hood")
    )
    respelt = (
        respelt.replace("Collective", "Kollective").replace("Network", "Net-work").replace("Grey", "Gray")
    )
    if respelt != name:
        out.append(("spelling", respelt))
    out.append(("punctuation", name.lower().replace(" ", "-", 1) + rng.choice([".", "", " limited"])))
    return out


def _ordinary_person(rng: random.Random, culture: str) -> str:
    givens, surnames = POOLS[culture]
    given = rng.choice(givens)
    if culture == "hispanic":
        return (
            f"{given} {rng.choice(surnames)} {rng.choice(surnames)}"
            if rng.random() < 0.6
            else f"{given} {rng.choice(surnames)}"
        )
    if rng.random() < 0.3:
        middle = rng.choice(givens)
        if middle != given:
            return f"{given} {middle} {rng.choice(surnames)}"
    if culture == "east_asian" and rng.random() < 0.5:
        return f"{rng.choice(surnames)} {given}"
    return f"{given} {rng.choice(surnames)}"


def _ordinary_org(rng: random.Random) -> str:
    middle = rng.choice(ORG_PLACES) if rng.random() < 0.5 else rng.choice(ORG_WORDS)
    return f"{rng.choice(ORG_PREFIXES)}{middle} {rng.choice(ORG_TYPES)}{rng.choice(ORG_SUFFIXES)}"


def _too_close(name: str, flagged_tokens: list[set[str]]) -> bool:
    tokens = _tokens(name)
    return any(len(tokens & other) >= 2 or tokens <= other for other in flagged_tokens)


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    flagged_rows: list[dict[str, str]] = []
    variant_rows: list[dict[str, str]] = []
    flagged_tokens: list[set[str]] = []
    for number, entry in enumerate(PERSONS, start=1):
        culture, given, middle, surname, _script = entry
        entry_id = f"P{number:03d}"
        name = " ".join(p for p in (given, middle, surname) if p)
        aliases = [f"{given} {surname}"] if middle and number % 4 == 0 else []
        flagged_rows.append(
            {"id": entry_id, "kind": "person", "name": name, "aliases": "|".join(aliases), "culture": culture}
        )
        flagged_tokens.extend(_tokens(n) for n in [name, *aliases])
        for variant_kind, query in _person_variants(rng, entry):
            variant_rows.append(
                {
                    "query": query,
                    "kind": "person",
                    "entry_id": entry_id,
                    "variant": variant_kind,
                    "culture": culture,
                }
            )
    for number, (name, aliases) in enumerate(ORGANISATIONS, start=1):
        entry_id = f"O{number:03d}"
        flagged_rows.append(
            {
                "id": entry_id,
                "kind": "organisation",
                "name": name,
                "aliases": "|".join(aliases),
                "culture": "organisation",
            }
        )
        flagged_tokens.extend(_tokens(n) - {"of", "the"} for n in [name, *aliases])
        for variant_kind, query in _org_variants(rng, name):
            variant_rows.append(
                {
                    "query": query,
                    "kind": "organisation",
                    "entry_id": entry_id,
                    "variant": variant_kind,
                    "culture": "organisation",
                }
            )
    ordinary_rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for culture in POOLS:
        count = 0
        while count < 170:
            name = _ordinary_person(rng, culture)
            if name in seen or _too_close(name, flagged_tokens):
                continue
            seen.add(name)
            ordinary_rows.append({"name": name, "kind": "person", "culture": culture})
            count += 1
    count = 0
    while count < 160:
        name = _ordinary_org(rng)
        if name in seen or _too_close(name, flagged_tokens):
            continue
        seen.add(name)
        ordinary_rows.append({"name": name, "kind": "organisation", "culture": "organisation"})
        count += 1
    _write(OUT / "flagged.csv", ["id", "kind", "name", "aliases", "culture"], flagged_rows)
    _write(OUT / "variants.csv", ["query", "kind", "entry_id", "variant", "culture"], variant_rows)
    _write(OUT / "ordinary.csv", ["name", "kind", "culture"], ordinary_rows)
    print(
        f"{len(flagged_rows)} flagged entries, {len(variant_rows)} variants, {len(ordinary_rows)} ordinary names"
    )


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
