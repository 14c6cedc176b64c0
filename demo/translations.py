"""The demo district's texts in Spanish, Somali and Hmong: the vocabularies, and a
one-sentence summary per service that a share of partners give in those languages
(their descriptions stay in English, so the directory shows English standing in).

The Spanish was written with care; the Somali and Hmong want a review by a native
speaker before real use (docs/directory.md, "The district's languages")."""

# category slug: {language: (name, description)}
CATEGORIES: dict[str, dict[str, tuple[str, str]]] = {
    "contracted-partner": {
        "es": (
            "Socio comunitario con contrato",
            "Organizaciones que dan programas o apoyo a los estudiantes dentro de las "
            "escuelas del distrito, durante el día escolar o después. Cada una tiene "
            "un contrato firmado con el distrito, y este directorio la muestra solo "
            "mientras el contrato está vigente.",
        ),
        "so": (
            "Lammaane bulsheed oo qandaraas leh",
            "Ururo barnaamijyo ama taageero siiya ardayda gudaha dugsiyada degmada, "
            "inta lagu jiro maalinta dugsiga ama kadib. Mid kastaa wuxuu la leeyahay "
            "degmada qandaraas la saxiixay, tusahan wuxuu muujiyaa oo keliya inta uu "
            "qandaraasku shaqaynayo.",
        ),
        "hmn": (
            "Koom haum koom zej muaj daim ntawv cog lus",
            "Cov koom haum uas muaj kev kawm lossis kev pab rau cov tub ntxhais kawm "
            "hauv cov tsev kawm ntawv, thaum kawm ntawv lossis tom qab. Txhua lub muaj "
            "daim ntawv cog lus nrog lub cheeb tsam tsev kawm ntawv, thiab phau ntawv "
            "no qhia nws tsuas yog thaum daim ntawv cog lus tseem siv tau.",
        ),
    },
    "community-education": {
        "es": (
            "Socio de Educación Comunitaria",
            "Organizaciones que dan clases y actividades por medio del programa de "
            "Educación Comunitaria del distrito, a menudo por la tarde, los fines de "
            "semana o en verano, y a veces para toda la familia.",
        ),
        "so": (
            "Lammaane waxbarasho bulsheed",
            "Ururo casharro iyo hawlo ku bixiya barnaamijka Waxbarashada Bulshada ee "
            "degmada, badanaa fiidka, dhammaadka toddobaadka ama xagaaga, mararka "
            "qaarkoodna qoyska oo dhan.",
        ),
        "hmn": (
            "Koom haum kev kawm rau zej zog",
            "Cov koom haum uas qhia ntawv thiab ua ub no los ntawm lub cheeb tsam qhov "
            "kev kawm rau zej zog, feem ntau thaum yav tsaus ntuj, hnub so lossis lub "
            "caij ntuj sov, thiab qee zaus rau tag nrho tsev neeg.",
        ),
    },
    "extended-learning": {
        "es": (
            "Socio de aprendizaje extendido",
            "Organizaciones comunitarias que dan a los estudiantes más tiempo de "
            "aprendizaje en nombre de la oficina de Aprendizaje Extendido del "
            "distrito, con fondos del estado para programas de aprendizaje "
            "alternativo.",
        ),
        "so": (
            "Lammaane waxbarasho dheeraad ah",
            "Ururo bulsheed oo ardayda siiya waqti waxbarasho oo dheeraad ah iyagoo "
            "ka wakiil ah xafiiska Waxbarashada Dheeraadka ah ee degmada, lagana "
            "bixiyo lacag dawladeed oo loogu talagalay barnaamijyo waxbarasho oo kale.",
        ),
        "hmn": (
            "Koom haum kev kawm ntxiv",
            "Cov koom haum hauv zej zog uas muab sij hawm kawm ntxiv rau cov tub "
            "ntxhais kawm sawv cev rau lub cheeb tsam lub chaw ua hauj lwm Kev Kawm "
            "Ntxiv, siv nyiaj ntawm lub xeev rau cov kev kawm lwm yam.",
        ),
    },
    "mental-health": {
        "es": (
            "Socio de salud mental",
            "Profesionales con licencia que ofrecen consejería y otros cuidados de "
            "salud mental a los estudiantes. Algunos mantienen su dirección en "
            "privado, para proteger a las familias que atienden.",
        ),
        "so": (
            "Lammaane caafimaadka maskaxda",
            "Bixiyeyaal shati leh oo ardayda siiya la-talin iyo daryeel kale oo "
            "caafimaadka maskaxda ah. Qaarkood cinwaankooda waa qarsoon yihiin, si ay "
            "u ilaaliyaan qoysaska ay u adeegaan.",
        ),
        "hmn": (
            "Koom haum kev noj qab haus huv ntawm lub hlwb",
            "Cov kws muaj ntawv tso cai uas muab kev sab laj thiab kev saib xyuas lub "
            "hlwb rau cov tub ntxhais kawm. Ib txhia tsis qhia lawv qhov chaw nyob, "
            "los tiv thaiv cov tsev neeg uas lawv pab.",
        ),
    },
}

# service type slug: {language: (name, description, a partner's summary)}
SERVICES: dict[str, dict[str, tuple[str, str, str]]] = {
    "tutoring": {
        "es": (
            "Tutoría y ayuda con tareas",
            "Ayuda con las tareas escolares de tutores capacitados, uno a uno o en "
            "grupos pequeños.",
            "Tutoría y ayuda con las tareas, en grupos pequeños o uno a uno.",
        ),
        "so": (
            "Casharro gaar ah iyo caawimo shaqada guriga",
            "Caawimo shaqada dugsiga oo ka timaada macallimiin tababaran, hal-hal ama "
            "kooxo yaryar.",
            "Casharro gaar ah iyo caawimo shaqada guriga, kooxo yaryar ama hal-hal.",
        ),
        "hmn": (
            "Kev qhia ntxiv thiab pab ua homework",
            "Kev pab ua haujlwm tsev kawm ntawv los ntawm cov xib fwb uas tau kawm, "
            "ib leeg ib leeg lossis pab me me.",
            "Kev qhia ntxiv thiab pab ua homework, ua pab me me lossis ib leeg.",
        ),
    },
    "mentoring": {
        "es": (
            "Mentoría",
            "Un adulto de confianza o un estudiante mayor que se reúne con un joven "
            "con regularidad.",
            "Mentores de confianza que se reúnen cada semana con jóvenes.",
        ),
        "so": (
            "Hagitaan",
            "Qof weyn oo daryeel leh ama arday ka weyn oo si joogto ah ula kulma qof "
            "dhallinyaro ah.",
            "Hagayaal la isku halayn karo oo toddobaad kasta la kulma dhallinyarada.",
        ),
        "hmn": (
            "Kev cob qhia",
            "Ib tug neeg laus uas mob siab lossis ib tug tub ntxhais kawm hlob dua "
            "uas ntsib ib tug hluas tas li.",
            "Cov neeg cob qhia uas ntsib cov hluas txhua lub lim tiam.",
        ),
    },
    "mental-health": {
        "es": (
            "Salud mental",
            "Consejería, terapia y apoyo emocional de profesionales con licencia.",
            "Consejería y terapia para estudiantes, en la escuela y en nuestra "
            "oficina.",
        ),
        "so": (
            "Caafimaadka maskaxda",
            "La-talin, daaweyn iyo taageero dareen oo ka timaada bixiyeyaal shati leh.",
            "La-talin iyo daaweyn ardayda, dugsiga iyo xafiiskayaga.",
        ),
        "hmn": (
            "Kev noj qab haus huv ntawm lub hlwb",
            "Kev sab laj, kev kho mob thiab kev txhawb siab los ntawm cov kws muaj "
            "ntawv tso cai.",
            "Kev sab laj thiab kev kho mob rau cov tub ntxhais kawm, hauv tsev kawm "
            "ntawv thiab hauv peb lub chaw.",
        ),
    },
    "arts": {
        "es": (
            "Artes",
            "Artes visuales, teatro, danza y escritura creativa.",
            "Clases de arte, teatro y danza para estudiantes.",
        ),
        "so": (
            "Farshaxan",
            "Farshaxan muuqaal, masraxa, qoob ka ciyaar iyo qoraal hal-abuur.",
            "Casharro farshaxan, masraxa iyo qoob ka ciyaar ardayda.",
        ),
        "hmn": (
            "Kos duab",
            "Kos duab, ua yeeb yam, seev cev thiab sau ntawv tsim tawm.",
            "Kev kawm kos duab, ua yeeb yam thiab seev cev rau tub ntxhais kawm.",
        ),
    },
    "music": {
        "es": (
            "Música",
            "Clases, conjuntos y composición de canciones.",
            "Clases de música y conjuntos para estudiantes.",
        ),
        "so": (
            "Muusig",
            "Casharro, kooxo muusig iyo allifaad heeso.",
            "Casharro muusig iyo kooxo ardayda.",
        ),
        "hmn": (
            "Suab paj nruag",
            "Kev kawm, pab ntaus suab paj nruag thiab sau nkauj.",
            "Kev kawm suab paj nruag thiab pab ntaus nkauj rau tub ntxhais kawm.",
        ),
    },
    "stem": {
        "es": (
            "Ciencia y tecnología (STEM)",
            "Ciencia, tecnología, ingeniería y matemáticas con proyectos prácticos.",
            "Proyectos de ciencia, tecnología y matemáticas para estudiantes.",
        ),
        "so": (
            "Saynis iyo tiknoolaji (STEM)",
            "Saynis, tiknoolaji, injineernimo iyo xisaab iyadoo la adeegsanayo "
            "mashaariic gacanta lagu sameeyo.",
            "Mashaariic saynis, tiknoolaji iyo xisaab ah ee ardayda.",
        ),
        "hmn": (
            "Kev tshawb fawb thiab thev naus laus zis (STEM)",
            "Kev tshawb fawb, thev naus laus zis, kev tsim kho thiab lej los ntawm "
            "kev ua tes ua taw.",
            "Kev ua tes ua taw txog kev tshawb fawb, thev naus laus zis thiab lej.",
        ),
    },
    "sports": {
        "es": (
            "Deportes y recreación",
            "Equipos, clínicas y juego activo.",
            "Deportes y juego activo para estudiantes de todos los niveles.",
        ),
        "so": (
            "Isboorti iyo madadaalo",
            "Kooxo, tababarro iyo ciyaar firfircoon.",
            "Isboorti iyo ciyaar firfircoon oo loogu talagalay ardayda.",
        ),
        "hmn": (
            "Kev ua si thiab lom zem",
            "Pab pawg, kev cob qhia thiab kev ua si nquag.",
            "Kev ua si thiab kev txav mus los rau tub ntxhais kawm.",
        ),
    },
    "college-career": {
        "es": (
            "Universidad y carrera",
            "Planes para la universidad, capacitación y primeros empleos.",
            "Ayuda para planear la universidad y encontrar el primer empleo.",
        ),
        "so": (
            "Jaamacad iyo xirfad",
            "Qorshaynta jaamacadda, tababar iyo shaqooyinka ugu horreeya.",
            "Caawimo qorshaynta jaamacadda iyo helitaanka shaqada koowaad.",
        ),
        "hmn": (
            "Tsev kawm qib siab thiab hauj lwm",
            "Npaj mus kawm qib siab, kev cob qhia thiab thawj txoj hauj lwm.",
            "Kev pab npaj mus kawm qib siab thiab nrhiav thawj txoj hauj lwm.",
        ),
    },
    "family-support": {
        "es": (
            "Apoyo familiar",
            "Ayuda para padres y cuidadores: servicios, crianza y comunidad.",
            "Apoyo para familias: servicios, crianza y comunidad.",
        ),
        "so": (
            "Taageerada qoyska",
            "Caawimo waalidiinta iyo daryeelayaasha: adeegyada, barbaarinta iyo "
            "xiriir.",
            "Taageero qoysaska: adeegyada, barbaarinta iyo bulshada.",
        ),
        "hmn": (
            "Kev pab tsev neeg",
            "Kev pab rau niam txiv thiab cov neeg saib xyuas: kev pab cuam, kev tu "
            "me nyuam thiab kev sib txuas.",
            "Kev pab rau tsev neeg: kev pab cuam, kev tu me nyuam thiab zej zog.",
        ),
    },
    "health": {
        "es": (
            "Salud",
            "Chequeos, cuidado dental y de la vista, y hábitos saludables.",
            "Chequeos, cuidado dental y de la vista para estudiantes.",
        ),
        "so": (
            "Caafimaad",
            "Baaritaanno, daryeelka ilkaha iyo indhaha, iyo caadooyin caafimaad leh.",
            "Baaritaanno, daryeelka ilkaha iyo indhaha ee ardayda.",
        ),
        "hmn": (
            "Kev noj qab haus huv",
            "Kev kuaj mob, kev saib hniav thiab qhov muag, thiab tus cwj pwm zoo.",
            "Kev kuaj mob, kev saib hniav thiab qhov muag rau tub ntxhais kawm.",
        ),
    },
    "basic-needs": {
        "es": (
            "Necesidades básicas",
            "Comida, ropa, útiles escolares y ayuda con la vivienda.",
            "Comida, ropa y útiles escolares para familias que los necesitan.",
        ),
        "so": (
            "Baahiyaha aasaasiga ah",
            "Cunto, dhar, qalabka dugsiga iyo caawimo guriyeynta.",
            "Cunto, dhar iyo qalabka dugsiga ee qoysaska u baahan.",
        ),
        "hmn": (
            "Kev xav tau yooj yim",
            "Zaub mov, khaub ncaws, khoom siv kawm ntawv thiab kev pab txog vaj tse.",
            "Zaub mov, khaub ncaws thiab khoom siv kawm ntawv rau tsev neeg xav tau.",
        ),
    },
    "youth-leadership": {
        "es": (
            "Liderazgo juvenil",
            "Liderazgo, servicio y proyectos cívicos dirigidos por jóvenes.",
            "Proyectos de liderazgo y servicio dirigidos por jóvenes.",
        ),
        "so": (
            "Hoggaaminta dhallinyarada",
            "Hoggaamin, adeeg iyo mashaariic bulsheed oo ay hoggaamiyaan dhallinyaro.",
            "Mashaariic hoggaamin iyo adeeg oo ay hoggaamiyaan dhallinyaro.",
        ),
        "hmn": (
            "Kev coj noj coj ua ntawm cov hluas",
            "Kev coj, kev pab zej zog thiab tej hauj lwm uas cov hluas coj.",
            "Tej hauj lwm coj noj coj ua thiab pab zej zog uas cov hluas coj.",
        ),
    },
    "literacy": {
        "es": (
            "Lectura y escritura",
            "Lectura, escritura y libros para llevar a casa.",
            "Lectura y escritura, con libros para llevar a casa.",
        ),
        "so": (
            "Akhris iyo qoraal",
            "Akhris, qoraal iyo buugaag guriga loo qaato.",
            "Akhris iyo qoraal, iyo buugaag guriga loo qaato.",
        ),
        "hmn": (
            "Kev nyeem thiab sau ntawv",
            "Kev nyeem ntawv, sau ntawv thiab phau ntawv nqa mus tsev.",
            "Kev nyeem thiab sau ntawv, nrog phau ntawv nqa mus tsev.",
        ),
    },
    "early-childhood": {
        "es": (
            "Primera infancia",
            "Aprendizaje y juego para niños de hasta 5 años y los adultos que los "
            "cuidan.",
            "Aprendizaje y juego para niños pequeños y sus familias.",
        ),
        "so": (
            "Carruurnimada hore",
            "Waxbarasho iyo ciyaar carruurta ilaa 5 jir ah iyo dadka waaweyn ee "
            "daryeela.",
            "Waxbarasho iyo ciyaar carruurta yaryar iyo qoysaskooda.",
        ),
        "hmn": (
            "Me nyuam yaus",
            "Kev kawm thiab ua si rau me nyuam txog 5 xyoos thiab cov neeg laus saib "
            "xyuas lawv.",
            "Kev kawm thiab ua si rau me nyuam yaus thiab lawv tsev neeg.",
        ),
    },
    "english-learners": {
        "es": (
            "Estudiantes de inglés",
            "Ayuda para estudiantes y familias que están aprendiendo inglés.",
            "Ayuda para estudiantes y familias que aprenden inglés.",
        ),
        "so": (
            "Barta luqadda Ingiriisiga",
            "Caawimo ardayda iyo qoysaska baranaya Ingiriisiga.",
            "Caawimo ardayda iyo qoysaska baranaya Ingiriisiga.",
        ),
        "hmn": (
            "Cov kawm lus Askiv",
            "Kev pab rau cov tub ntxhais kawm thiab tsev neeg uas tab tom kawm lus "
            "Askiv.",
            "Kev pab rau tub ntxhais kawm thiab tsev neeg uas kawm lus Askiv.",
        ),
    },
    "outdoor-environment": {
        "es": (
            "Aire libre y medio ambiente",
            "Naturaleza, jardinería, campamentos y ciencias del medio ambiente.",
            "Naturaleza, jardinería y campamentos para estudiantes.",
        ),
        "so": (
            "Banaanka iyo deegaanka",
            "Dabeecadda, beerashada, kaamamka iyo sayniska deegaanka.",
            "Dabeecadda, beerashada iyo kaamamka ardayda.",
        ),
        "hmn": (
            "Sab nraum zoov thiab ib puag ncig",
            "Xwm txheej, ua teb, mus pw hav zoov thiab kev tshawb fawb txog ib puag "
            "ncig.",
            "Xwm txheej, ua teb thiab mus pw hav zoov rau tub ntxhais kawm.",
        ),
    },
}

# How many in a hundred demo partners give their summary in each language.
SHARE = {"es": 40, "so": 15, "hmn": 12}
