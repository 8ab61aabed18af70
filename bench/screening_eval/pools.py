"""Name parts the ordinary (not flagged) names are drawn from, per naming culture, and organisation words.

Flagged names share these parts, as real applicants' names share parts with listed ones. Each pool
is a whitespace-separated block: every part is a single word.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


POOLS: dict[str, tuple[list[str], list[str]]] = {
    "arabic": (
        _words(
            """
            Mohammed Ahmed Ali Omar Khalid Yusuf Ibrahim Hassan Hussein Mahmoud Tariq Sami Nabil Adel
            Ziad Faris Karim Walid Bilal Hamza Amin Amir Samir Nasser Jamal Rami Bassam Fadi Majid Osama
            Anas Aisha Fatima Mariam Layla Noor Huda Salma Rania Dalia Hiba Yasmin Reem Amal Sara Nadia
            Lina Zainab Khadija Uthman Saleh
            """
        ),
        _words(
            """
            Haddad Mansour Khatib Darwish Shami Obeidat Qassem Saleh Hamdan Nasser Khoury Aziz Suleiman
            Hijazi Masri Al-Amin Al-Hashimi Al-Farsi Al-Tamimi Al-Harbi Al-Otaibi Al-Shehri Qasim
            Hussein Ibrahim Abdullah Salem Yousef Jaber Awad Najjar Sabbagh Tahan Halabi Bakri Daher
            Zidan Rashed Kanaan Barakat Mahmoud Saad
            """
        ),
    ),
    "south_asian": (
        _words(
            """
            Mohammed Imran Tariq Farhan Ali Rizwan Ahmed Sanjay Harpreet Shoaib Usman Asif Arif Kamran
            Faisal Zubair Adnan Naveen Rajesh Amit Vikram Gurpreet Jaspreet Mandeep Nadia Parveen Ayesha
            Sana Hina Saima Priya Anjali Neha Pooja Simran Rukhsana Shabana Nasreen Farzana Bushra
            Raheel Danish Bilal Junaid Waqar
            """
        ),
        _words(
            """
            Khan Chaudhry Qureshi Siddiqui Malik Lodhi Vaghela Dhaliwal Mirza Rathore Hussain Shah Butt
            Akhtar Iqbal Raza Rizvi Patel Sharma Gupta Singh Kaur Sandhu Gill Bains Sidhu Mehta Joshi
            Desai Begum Bibi Ahmed Rahman Uddin Miah Choudhury Hossain Islam Awan Bhatti Janjua Abbasi
            Ansari Hashmi Naqvi
            """
        ),
    ),
    "slavic": (
        _words(
            """
            Yevgeny Aleksandr Dmitri Oleksandr Natalya Grigory Mikhail Tomasz Sergei Andrei Ivan Nikolai
            Vladimir Olga Elena Irina Tatiana Svetlana Anna Maria Pavel Viktor Igor Oleg Yuri Anatoly
            Konstantin Vasily Piotr Krzysztof Marek Katarzyna Agnieszka Magdalena Jan Petr Jakub Lukas
            Milan Dragan Zoran Ana Jelena Ivana Bogdan
            """
        ),
        _words(
            """
            Sorokin Zhdanov Lukashin Hrytsenko Belova Tsvetkov Gorbunov Wróblewski Ivanov Petrov Smirnov
            Kuznetsov Popov Sokolov Volkov Lebedev Morozov Novikov Fedorov Kovalenko Shevchenko
            Bondarenko Tkachenko Melnyk Boyko Kravchenko Nowak Kowalski Wiśniewski Kamiński Lewandowski
            Zieliński Novák Dvořák Horvat Petrović Jovanović Nikolić Ivanova Petrova Sokolova Belov
            Sorokina Zhukov Orlov
            """
        ),
    ),
    "east_asian": (
        _words(
            """
            Wenjie Meiling Guohua Zhiqiang Xiaodong Min-jun Hiroshi Wei Jing Li Ming Hua Hong Yan Ying
            Jun Lei Fang Xiaoming Jianguo Haiyan Yuqing Zihan Yichen Ji-woo Seo-yeon Hyun-woo Ji-ho
            Takashi Yuki Kenji Haruka Akiko Van Minh Thi Lan Duc Anh Thu Huong Quang Hai Bao Mei
            """
        ),
        _words(
            """
            Liang Zhao Chen Huang Lin Park Nguyen Tanabe Wang Li Zhang Liu Yang Wu Zhou Xu Sun Ma Zhu Hu
            Guo He Kim Lee Choi Jung Kang Cho Yoon Sato Suzuki Takahashi Watanabe Ito Yamamoto Nakamura
            Tran Le Pham Hoang Vu Dang Bui Do
            """
        ),
    ),
    "west_african": (
        _words(
            """
            Chukwuemeka Oluwaseun Kwabena Mamadou Ngozi Ousmane Adebayo Fatoumata Emeka Chidi Nnamdi
            Chinedu Obinna Tunde Femi Kemi Bola Funmilayo Yewande Kwame Kofi Yaw Ama Akosua Abena Efua
            Amadou Ibrahima Seydou Aminata Aissatou Mariama Binta Lamine Moussa Cheikh Adama Olamide
            Obiora Adeyinka Chiamaka Asamoah
            """
        ),
        _words(
            """
            Nwachukwu Balogun Frimpong Sissoko Eze-Okoli Fofana Ogunbiyi Camara Okafor Okeke Eze Obi
            Nwosu Okonkwo Adeyemi Ogunleye Adewale Oyelaran Bello Mensah Owusu Asante Boateng Osei
            Appiah Adjei Danso Diallo Traoré Koné Coulibaly Touré Sow Diop Ndiaye Bah Keita Sanogo Cissé
            Kamara Conteh Sesay Bangura
            """
        ),
    ),
    "european": (
        _words(
            """
            Gareth Siobhan Dieter Pieter Stavros Łukasz Fiona Jean-Luc John David James Michael Paul
            Mary Sarah Emma Thomas Richard Robert William Daniel Matthew Andrew Anne Elizabeth Jane
            Susan Helen Laura Rachel Claire Hans Klaus Sabine Pierre Marie Sophie Giorgos Eleni Marco
            Giulia Lars Ingrid Sean Aoife Alan Margaret Colin
            """
        ),
        _words(
            """
            Pemberton Callaghan Hoffmann-Krause van der Berghe Kyriakidis Grabowski Strachan Marchetti
            Smith Jones Williams Brown Taylor Davies Evans Wilson Thomas Roberts Robinson Thompson
            Wright Walker White Edwards Hughes Green Hall Wood Harris Lewis Martin Jackson Clarke Murphy
            Kelly O'Brien Müller Schmidt Dubois Lefebvre Rossi Bianchi Papadopoulos Jansen de Vries
            Hansen MacDonald Campbell
            """
        ),
    ),
    "hispanic": (
        _words(
            """
            José Manuel María Fernanda Juan Carlos Guillermo Ximena Rodrigo Alejandro Javier Lucía
            Beatriz Luis Jorge Pedro Miguel Antonio Francisco Pablo Sergio Fernando Ricardo Rafael Diego
            Andrés Carmen Isabel Sofía Valentina Camila Daniela Gabriela Paula Elena Marta Ana Rosa
            Alberto Enrique Raúl Óscar Adriana
            """
        ),
        _words(
            """
            Castañeda Ruiz Villalobos Echeverría Ortega Salazar Paredes Lozano Cifuentes Montoya
            Quintero Arellano García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez
            Díaz Hernández Torres Ramírez Flores Rivera Morales Jiménez Vargas Castro Romero Herrera
            Medina Aguilar Reyes Cruz Navarro Mendoza Vega Ríos Delgado
            """
        ),
    ),
    "turkish_persian": (
        _words(
            """
            Mehmet Ahmet Mustafa Emre Burak Can Cem Deniz Elif Zeynep Ayşe Fatma Hatice Emine Merve Esra
            Kerem Murat Serkan Hakan Reza Hossein Mehdi Amir Hamid Dariush Farhad Babak Kourosh Parisa
            Shirin Maryam Zahra Leila Nasrin Azadeh Golnar Arash Omid Navid Sina Kaveh Behrouz Selin Ozan
            """
        ),
        _words(
            """
            Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan
            Çetin Kara Koç Kurt Özkan Şimşek Polat Tehrani Hosseini Mohammadi Rezaei Ahmadi Moradi Karimi
            Jafari Rahimi Hashemi Sadeghi Mousavi Ghorbani Heidari Kazemi Najafi Amini Bagheri Rostami
            Farahani Shirazi Esfahani Tabrizi Golzari
            """
        ),
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
