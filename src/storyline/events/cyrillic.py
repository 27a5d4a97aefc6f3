"""Russian, Ukrainian and Belarusian sentences coded with the same PLOVER types and roles.

All three languages share one lexicon-and-word-order coder; a Russian sentence also gets
natasha's dependency parse and morphology (``natasha`` NewsSyntaxParser/NewsMorphTagger,
offline), whose Russian models do not carry over to Ukrainian or Belarusian (the language is
told by its letters, :func:`guess_lang`).

1. **trigger**: the first token (left to right) that starts with a stem of :data:`TRIGGERS`
   (verb and noun stems of the three languages, grouped by PLOVER type). A stem may *need* a
   word among the next few tokens ("запрет" + "въезд" is a sanction, "запрет" alone
   repression; "призна" + "итоги выборов" is support, alone nothing; "перечень" +
   "недружественных" is an 'unfriendly' list); signing a decree or a law ends the search (what
   follows is the decree's content). Verbs of giving, sending and deploying are typed by their
   object (:data:`GOODS`: aid; :data:`TROOPS`: mobilisation). Triggers inside an actor's name,
   right after a reason or frame phrase ("в ответ на удар", "по итогам переговоров"), or in a
   gerund yield to any other; what follows a verb of calling, commenting or mentioning
   (:data:`SPOKEN_OF`: "назвал санкции …") is spoken of, no trigger; attributive participles
   ("оружие, размещенное в ...") and, in Russian, nouns deep in a verbless list are no
   trigger; with the Russian parse a noun also yields to the trigger verb it depends on ("эти
   обвинения отвергли" is REJECT) and a noun that is the subject of another verb
   ("договорённость не нарушает ...") to any other.
2. **mood**: "не" before the trigger turns cooperation into REJECT and cancels material
   conflict; intent or future ("готова", "намерена", "будет", the future of a giving or
   deploying verb, natasha's future tense) turns cooperation into AGREE and material conflict
   into THREATEN - the PLOVER conventions of the English coder (``Coder._mood``).
3. **source**: Russian: the subject of the trigger's verb in the parse (of the governing verb
   for a controlled or coordinated one); in the passive the agent, the subject becoming the
   target; a subject naming no known actor leaves the source unknown. Otherwise (and for a
   pronoun subject) the first actor mention before the trigger in its clause (the clause after
   "что/що/што" in reported speech) that is not inside a prepositional phrase. Failing both, a
   place named before the trigger ("В Кремле отвергли", "У Тбілісі тисячі людей ...") - its
   country acts. Ukrainian/Belarusian passive participles are not read as the subject's act.
   Actors joined by "и/і/та/й" act jointly (one per country).
4. **target**: Russian: actors in the verb's objects, then its other dependents. Otherwise the
   first mention after the source's noun phrase in the trigger's clause that is not the source,
   not a place in the source's own country, not a joint subject, not in a reason or frame
   phrase, a place ranking after a named partner ("встретился в Пекине с Путиным"). With none,
   a role noun after the trigger ("задержали участников акции", "помиловал политзаключённых")
   is the target in the source's country, as the English coder does
   (``Coder._agent_target``). "Unfriendly to X" ("стали недружественными для России") makes X
   the source and the subject the target.
5. **allies and joint actors**: forces or weapons put *in* an ally's territory ("разместила ...
   в Белоруссии") and exercises or deployments of allies are military cooperation (COOPERATE),
   as in English (``Coder._hosted``); joint actors of an agreement, talks or cooperation, or of
   anything done "друг другу", act on each other (``reciprocal``), and a bloc both belong to is
   not their target.

Measured on the project's own labelled set (``events/data/slavic_eval.jsonl``,
``SLAVIC_EVAL.md``) with ``bench/events.py``. Sentences that put the object first or use the
passive are coded well only in Russian (the parse); most remaining misses are actors the
resolver does not find in an inflected form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from storyline.actors.resolve import Mention
from storyline.events import plover
from storyline.model import EventRecord

if TYPE_CHECKING:  # pragma: no cover
    from storyline.events.coder import Coder

# ---------------------------------------------------------------------------------- lexicon
# Specs: "stem" (a token starting with it), "=word" (exactly that token), "stem>a|b" (and one
# of the next NEED_WINDOW tokens starts with a or b). Stems are lower case, ё written е,
# apostrophes written '. Russian, Ukrainian and Belarusian forms side by side.
TRIGGERS: dict[str, list[str]] = {
    # signing a decree or a law is a domestic act, not an agreement: no event on that token
    "NONE": [
        "подписа>указ|закон|постановлен|распоряжен|декрет",
        "підписа>указ|закон|постанов|розпорядж|декрет",
        "падпіса>указ|закон|пастанов|распараджэн|дэкрэт",
    ],
    "SANCTION": [
        # 'unfriendly' lists: the list, or being declared unfriendly, is the act
        "перечен>недружествен|недружелюб", "список>недружествен|недружелюб",
        "списк>недружествен|недружелюб", "реестр>недружествен|недружелюб",
        "перелік>недружн|недружелюб", "переліку>недружн|недружелюб",
        "спіс>недружалюб|недружэлюб|недружн",
        "спіса>недружалюб|недружэлюб|недружн", "стал>недружествен|недружелюб",
        "призна>недружествен|недружелюб", "объяви>недружествен|недружелюб",
        "стали>недружн", "визна>недружн", "оголоси>недружн", "сталі>недружалюб|недружэлюб",
        "прызна>недружалюб|недружэлюб", "абвясці>недружалюб|недружэлюб",
        "санкци", "санкці", "санкцы", "контрсанкц", "контрмер", "контрзаход", "эмбарго",
        "ембарго", "эмбарга", "ограничительн", "обмежувальн", "абмежавальн", "ответн>мер",
        "відповідн>заход", "адказн>мер", "=нон>грат", "спонсор>войн|війн|вайн",
        "черн>списк|список", "чорн>списк|список|спіс", "выслал", "высла", "высыла", "висла",
        "висила", "выдвор", "видвори", "отозва>посл|дипломат|посольств",
        "відклика>посл|дипломат|посольств", "відклика>посл", "адкліка>пасл|дыпламат",
        "разорва>отношен|связ|дипломат", "розірва>відносин|зв'яз|дипломат",
        "разарва>адносін|сувяз|дыпламат", "приостанов", "призупин", "прыпын", "замороз",
        "заморож", "замароз", "замарож", "запрет>въезд|ввоз|импорт|экспорт|транзит|пролет|поставк",
        "заборон>в'їзд|ввез|імпорт|експорт|транзит|проліт|постач|поставк",
        "забарон>уезд|ўезд|увоз|ўвоз|імпарт|экспарт|транзіт|пралет|пастаўк",
        "закры>границ|пункт|кпп|пропуск|мяж|посольств|консульств|небо|воздушн|паветран",
        "закри>кордон|пункт|пропуск|посольств|консульств|небо|повітрян",
        "прекрати>поставк|финансир|сотруднич|транзит",
        "припини>постач|поставк|фінансув|співпрац|транзит",
        "спыні>пастаўк|фінансав|супрацоўн|транзіт",
    ],
    "COERCE": [
        "задерж", "затрима", "затрыма", "арест", "арешт", "арышт", "обыск", "обшук",
        "ператрус", "депорт", "дэпарт", "конфиск", "конфіск", "канфіск", "приговор", "вирок",
        "прысуд", "осуди>лет|год|срок|заключен|лишени", "засуд>рок|років|ув'язн|позбавлен",
        "асудзі>гад|пазбаўлен|зняволен", "нежелательн", "небажан", "непажадан", "иноагент",
        "іноагент", "иностранн>агент", "іноземн>агент", "замежн>агент", "экстремист",
        "екстреміст", "экстрэміс", "террористическ>организац", "терористичн>організац",
        "тэрарыстычн>арганізац", "запрет", "заборон", "забарон", "разгон", "разогна",
        "розігна", "разагна", "блокад", "блакад",
        "лиши>гражданств|лиценз|аккредит", "позбави>громадянств|ліценз|акредит",
        "пазбаві>грамадзянств|ліцэнз|акрэдыт", "захвати>танкер|судн|корабл|груз|имуществ",
        "захопи>танкер|судн|корабл|вантаж|майн", "захапі>танкер|судн|карабл|груз|маемасц",
        "заблок",
    ],
    "ACCUSE": [
        "обвин", "звинува", "звинуват", "абвінава", "абвінав", "осуди", "осужда", "осужден",
        "засуди", "засудж", "асудзі", "асуджа", "критик", "критику", "раскритик", "розкритик",
        "крытык", "раскрытык", "нот>протест|пратэст",
        "вызва>посл|посол|поверен|дипломат|мид", "вызыва>посл|посол|поверен|дипломат|мид",
        "виклика>посл|посол|повірен|дипломат|мзс", "викли>посл|посол|повірен|дипломат|мзс",
        "выкліка>пасл|пасол|дыпламат|мзс", "выклік>пасл|пасол|дыпламат|мзс",
        "выразил>протест|возмущен|обеспокоен|озабочен|несоглас",
        "висловив>протест|обурен|занепокоєн|стурбован",
        "висловил>протест|обурен|занепокоєн|стурбован",
        "выказа>пратэст|абурэнн|занепакоен|незадаволен", "упрек", "дорік", "дорікну",
        "папракну", "папрок", "жалоб", "скарг", "возлож>ответствен", "поклал>відповідальн",
        "поклав>відповідальн", "усклал>адказнасц", "усклаў>адказнасц",
    ],
    "THREATEN": [
        "угрож", "пригроз", "грози", "погрожу", "погрожув", "загрожу", "паграж", "пагразі",
        "пригразі", "предупред", "предупрежд", "попереди", "попереджа", "попередж",
        "папярэдзі", "папярэдж", "ультиматум", "ультыматум",
    ],
    "REQUEST": [
        "потребова", "требова", "требу", "призва", "призыва", "заклика", "закликал",
        "закликав", "=заклик", "заклік", "вимага", "=вимога", "=вимоги", "=вимогу",
        "=вимогою", "патраб", "попроси", "проси", "прасі", "папрасі", "просі", "просьб",
        "прохан", "настаива", "наполяга", "настойва", "ходатайств", "клопота", "хадайніч",
    ],
    "REJECT": [
        "отверг", "отверга", "отказа", "отказыва", "=отказ", "=отказе", "відмов", "адмов",
        "адмаўля", "отклони", "отклоня", "відхили", "відхиля", "адхілі", "адхіля",
        "заблок>решени|рішенн|рашэнн|резолюц|рэзалюц|пакет|кандидат|вступ|инициатив|ініціатив|ініцыятыв|выдел|виділ|выдзял",
        "вето", "ветир", "ветува", "ветава", "опроверг", "спростува", "абверг",
    ],
    "AGREE": [
        "договорил", "договори", "договор", "домовил", "домови", "домовлен", "договір",
        "дамов", "дагавор", "соглашени", "согласил", "согласи", "согласова", "угод",
        "пагаднен", "подписа", "підписа", "падпіса", "меморандум", "пообеща", "обеща",
        "пообіця", "обіця", "паабяца", "абяца", "ратифиц", "ратифік", "ратыфік", "перемири",
        "перемир'", "перамір'", "прекращени>огн", "припинен>вогн", "спыненн>агн", "погодил",
        "погодив", "погодж", "пагадзі",
    ],
    "CONSULT": [
        "переговор", "перемов", "перамов", "встрет", "встреч", "зустр", "сустрэ", "сустрак",
        "визит", "візит", "візіт", "посети", "посеща", "відвіда", "наведа", "разговор",
        "розмов", "размов", "бесед", "созвони", "созвон", "зателефонув", "консультац",
        "кансультац", "обсуди", "обсужда", "обговор", "абмеркава", "абмяркоўва", "саммит",
        "саміт", "посредни", "посередн", "пасрэдн",
    ],
    "SUPPORT": [
        "поддерж", "підтрим", "падтрым", "поздрави", "поздравля", "поздравлен", "привіта",
        "=вітав", "=вітала", "=вітали", "=вітає", "=вітають", "павінша", "віншава",
        "віншаван", "приветствова", "похвал", "пахвал",
        "призна>независим|суверенит|итог|результат|выбор|легитим|власт|правительств|государств|победу|победы",
        "визна>незалежн|суверен|підсумк|результат|вибор|легітим|влад|уряд|держав|перемог",
        "прызна>незалежн|суверэн|вынік|выбар|легітым|улад|урад|дзяржав|перамог",
        "соболезн", "співчут", "спачув", "солидарн", "солідарн", "салідарн", "благодар",
        "подяку", "подякува", "падзяк",
    ],
    "COOPERATE": [
        "сотруднич", "співпрац", "супрацоўн",
        "совместн>учени|маневр|патрул|производств|проект|предприят",
        "спільн>навчан|маневр|патрул|виробництв|проект|підприєм",
        "сумесн>вучэнн|манеўр|патрул|вытворч|праект|прадпрыем", "экстрадир", "экстрадиц",
        "екстрадиц", "экстрадыц", "установил>дипломатическ|отношен",
        "встанови>дипломатичн|відносин", "усталява>дыпламатычн|адносін",
    ],
    "AID": [
        "помощ", "допомог", "дапамог", "убежищ", "притулок", "притулку", "прытулак",
        "поставк>оруж|вооружен|снаряд|боеприпас|танк|истребит|ракет|систем|пво",
        "постачан>зброї|озброєн|снаряд|боєприпас|танк|винищувач|ракет|систем|ппо",
        "пастаўк>збро|узбраен|снарад|боепрыпас|танк|знішчальн|ракет|сістэм|спа",
    ],
    "CONCEDE": [
        "смягчи", "смягча", "пом'якши", "пом'якш", "змякчы", "змякча",
        "сня>санкци|ограничен|запрет|эмбарго|блокад|обвинен",
        "зня>санкці|санкцы|обмежен|абмежаван|заборон|забарон|ембарго|эмбарга|блокад|блакад",
        "отмени>санкци|ограничен|запрет|визов", "скасува>санкці|обмежен|заборон|візов",
        "адмяні>санкцы|абмежаван|забарон|візав", "ослаби>санкци|ограничен",
        "послаби>санкці|обмежен", "аслабі>санкцы|абмежаван",
        "освободи>город|сел|деревн|посел|населен|территор",  # re-typed FIGHT below
        "освобод", "звільни", "звільня", "вызвалі", "вызваля", "помилова", "помилува",
        "памілава", "амнисти", "амністі", "амністы", "уступк", "=уступил", "=уступила",
        "=уступили", "пошл>навстреч", "пішл>назустріч", "пайшл>насустрач", "извини",
        "извинен", "извиня", "вибачи", "вибачен", "вибача", "прабачы", "прабачэн", "выбачы",
        "выбачэн", "обмен>пленн|заключен|военнопл", "обмін>полонен|ув'язнен|військовопол",
        "абмен>палонн|зняволен|ваеннапал", "отставк", "відставк", "адстаўк", "разреши",
        "дозволи", "дазволі",
    ],
    "RETREAT": [
        "отвел", "отвод", "отвест", "відвів", "відвед", "відвод", "відвел", "адвеў", "адвял",
        "адвод", "адвес", "вывел>войск|сил|подраздел|контингент|техник",
        "вывод>войск|сил|подраздел|контингент|техник",
        "выве>войск|сил|подраздел|контингент|техник|вайск|сіл|падраздзял|кантынгент|тэхні",
        "вивів>військ|сил|підрозділ|контингент|техні",
        "вивел>військ|сил|підрозділ|контингент|техні",
        "вивод>військ|сил|підрозділ|контингент|техні",
        "вивед>військ|сил|підрозділ|контингент|техні",
        "вывеў>вайск|войск|сіл|падраздзял|кантынгент|тэхні",
        "вывод>вайск|сіл|падраздзял|кантынгент|тэхні", "отошл", "отошед", "отступ",
        "відійшл", "відійшов", "відступ", "адышл", "адышоў", "адышод", "адступ", "демобилиз",
        "демобіліз", "дэмабіліз", "разоруж", "роззбро", "раззбро", "капитулир", "капітул",
    ],
    "INVESTIGATE": [
        "расследова", "расслед", "розслід", "расследав", "расследаван", "проверк", "перевірк",
        "праверк", "уголовн>дел", "кримінальн>провадженн|справ", "крымінальн>справ",
        "провадженн", "допрос", "допит", "допыт", "инспекц", "інспекц", "інспекцы",
    ],
    "PROTEST": [
        "протест", "пратэст", "митинг", "мітинг", "мітынг", "демонстрац", "дэманстрац",
        "забастов", "забастоўк", "страйк", "пикет", "пікет", "голодовк", "голодуван",
        "галадоўк", "=марш", "=марша", "=маршу", "=маршем", "=марше", "бойкот", "байкот",
        "шестви", "шэсц", "=хода", "=ходу", "=ході",
        "вышл>улиц|площад|акци|марш|протест|митинг|шестви",
        "вийшл>вулиц|площ|акці|марш|протест|мітинг|ход",
        "выйшл>вуліц|плошч|акцы|марш|пратэст|мітынг|шэсц",
    ],
    "MOBILIZE": [
        "мобилиз", "мобіліз", "мабіліз", "=учения", "=учений", "=учениях", "=учениям",
        "=учениями", "=учение", "навчан", "вучэнн", "маневр", "манеўр",
        "боев>готовност", "бойов>готовн", "баяв>гатоўн", "подкреплен", "підкріплен",
        "падмацаван",
    ],
    "FIGHT": [
        "обстрел", "обстріл", "абстрэл", "абстрал", "атак", "удар", "бомбардир", "бомбардув",
        "бамбардзір", "бомбил", "бамбіл", "=бой", "=боя", "=бои", "=боях", "=боев",
        "боев>действ", "=бій", "=бої", "=боях", "=боїв", "бойов>дій", "=баі", "=баях",
        "=баеў", "баяв>дзеянн", "наступлен", "=наступ", "=наступу", "=наступі",
        "=наступом", "контрнаступ", "вторг", "вторж", "уварва", "штурм", "сбил", "сбит",
        "сбива", "=збив", "=збила", "=збили", "збива", "=збито", "=збитий", "=збиті",
        "збілі", "=збіў", "=збіла", "збіва", "=збіты", "уничтож", "знищ", "знішч",
        "столкновен", "зіткнен", "сутычк", "стычк", "перестрелк", "перестрілк",
        "перастрэлк", "захват", "захвати", "захопи", "захапі",
    ],
    "ASSAULT": [
        "убил", "убит", "убийств", "убива", "вбив", "вбил", "вбит", "вбивств", "забіў",
        "забіл", "забіт", "забойств", "забіва", "теракт", "тэракт", "взорва", "подрыв",
        "подорва", "підірва", "підрив", "падарва", "падрыв", "похити", "похищ", "викра",
        "выкра", "казни", "казнен", "страти", "пытк", "катува", "катаван", "расстрел",
        "розстріл", "расстрэл", "покушен", "замах",
    ],
}
#: Pattern triggers whose type is not the list they sit in (freeing a town is fighting).
RETYPE = {"освободи>город|сел|деревн|посел|населен|территор": "FIGHT"}
NEED_WINDOW = 4

#: Verbs of giving: with goods (GOODS) after them they are aid.
GIVE = ("переда", "перада", "предостав", "нада", "выдели", "виділи", "виділя", "выдзелі",
        "постави", "поставля", "постача", "пастаўля", "паставі", "пожертвова", "подари",
        "подарува", "падары", "=дал", "=дала", "=дали", "=дав", "=далі", "=даў")
#: Verbs of sending: goods make aid, troops mobilisation.
SEND = ("направи", "направля", "накірава", "накіроўва", "спрямува", "отправи", "отправля",
        "відправи", "відправля", "адправі", "адпраўля", "надісла", "надсила", "дасла",
        "паслал", "=послал", "=послала", "=послали", "пошле", "пошлю", "перебро", "перекину",
        "перакіну", "стяну", "стягив", "стягу", "стягну", "ввел", "ввели", "ввів", "увеў", "увял")
#: Verbs of deploying (stationing forces or weapons): mobilisation, or cooperation with an
#: ally whose territory hosts them.
DEPLOY = ("размест", "размещ", "розмісти", "розміщ", "размясці", "размяшч", "разверн",
          "развертыва", "развёрт", "розгорн", "розгорта", "разгарну", "разгорт", "дислоц",
          "дыслак")
GOODS = ("оруж", "вооружен", "збро", "озброєн", "узбраен", "техник", "техні", "тэхні",
         "снаряд", "снарад", "боеприпас", "боєприпас", "боепрыпас", "танк", "истребит",
         "винищувач", "знішчальн", "самолет", "літак", "самалет", "ракет", "систем", "сістэм",
         "пво", "ппо", "спа", "зенитн", "зенітн", "гуманитар", "гуманітар", "помощ", "допомог",
         "дапамог", "кредит", "крэдыт", "транш", "грант", "заем", "займ", "позик", "пазык",
         "миллиард", "мільярд", "мільярд", "миллион", "мільйон", "мільён", "доллар", "долар",
         "евро", "євро", "еўра", "зерн", "збожж", "продовольств", "продукт", "харчов",
         "харчаван", "лекарств", "медикамент", "медыкамент", "=ліки", "=лекі", "генератор",
         "топлив", "палив", "паліў", "вакцин", "вакцын", "средств", "кошт", "сродк", "гаубиц",
         "гаубиц", "гаўбіц", "бронетехн", "бронетэхн", "дрон", "беспилотн", "безпілотн",
         "беспілотн", "палатк", "намет", "гуманітарн")
TROOPS = ("войск", "військ", "вайск", "батальон", "батальйон", "батальен", "бригад", "брыгад",
          "полк", "дивизи", "дивізі", "дывізі", "подраздел", "підрозділ", "падраздзял",
          "военнослуж", "військовослуж", "вайскоўц", "военн", "військов", "вайсков",
          "контингент", "кантынгент", "солдат", "салдат", "корабл", "карабл", "десант",
          "дэсант", "сил", "пограничник", "прикордонник", "памежнік", "спецназ", "инструктор",
          "інструктор", "інструктар", "ядерн", "ядерн", "ядзерн", "оруж", "збро", "ракет",
          "комплекс", "истребит", "винищувач", "знішчальн", "авиац", "авіац")
#: Future forms of the giving/sending/deploying verbs: a promise, not a deed (AGREE/THREATEN).
FUTURE_FORMS = {
    "передаст", "передадут", "выделит", "выделят", "предоставит", "предоставят", "направит",
    "направят", "поставит", "поставят", "отправит", "отправят", "пошлет", "пошлют",
    "разместит", "разместят", "развернет", "развернут", "передасть", "передадуть",
    "виділить", "виділять", "надасть", "нададуть", "надішле", "надішлють", "відправить",
    "розмістить", "розмістять", "розгорне", "розгорнуть", "перадасць", "перададуць",
    "выдзеліць", "выдзеляць", "накіруе", "накіруюць", "адправіць", "адправяць", "дашле",
    "дашлюць", "размесціць", "размесцяць", "разгорне", "разгорнуць", "дасць", "дадуць",
    "даст", "дадут", "дасть", "дадуть",
}
#: Words in the few tokens before a trigger that make it an intention or a future act.
INTENT = {
    "готов", "готова", "готовы", "готово", "готовий", "готові", "гатовы", "гатова",
    "гатовыя", "намерен", "намерена", "намерены", "планирует", "планируют", "плануе",
    "планує", "плануюць", "планують", "собирается", "собираются", "збирається", "збираються",
    "збіраецца", "збіраюцца", "будет", "будут", "буде", "будуть", "будзе", "будуць", "намір",
    "намер", "намерана", "намераны", "мае", "має",
}
NEGATION = {"не", "ни"}
PREPS = {
    # Russian
    "в", "во", "на", "с", "со", "из", "от", "к", "ко", "по", "о", "об", "обо", "при", "для",
    "без", "до", "за", "под", "над", "перед", "между", "против", "у", "через", "после",
    "около", "вокруг", "среди", "вслед", "ради",
    # Ukrainian
    "з", "із", "зі", "від", "про", "під", "між", "проти", "після", "біля", "серед", "щодо",
    "слідом",
    # Belarusian
    "ў", "са", "ад", "да", "па", "пра", "пры", "пад", "перад", "паміж", "супраць", "праз",
    "пасля", "каля", "сярод", "аб", "адносна", "услед",
}
#: Prepositions of place: a mention after one is where the act happens (or where forces go).
LOCATIVE = {"в", "во", "у", "ў", "на"}
#: Phrases whose actors give a reason, a source of information or a frame, not a target.
ASIDE = (("в", "ответ"), ("у", "відповідь"), ("у", "адказ"), ("ў", "адказ"), ("из-за",),
         ("через",), ("праз",), ("после",), ("після",), ("пасля",), ("ссылаясь",),
         ("посилаючись",), ("спасылаючыся",), ("на", "фоне"), ("на", "тлі"), ("по", "словам"),
         ("за", "словами"), ("па", "словах"), ("по", "данным"), ("за", "даними"),
         ("па", "дадзеных"), ("в", "рамках"), ("у", "рамках"), ("ў", "рамках"),
         ("в", "ходе"), ("під", "час"), ("падчас",), ("вслед",), ("слідом",), ("услед",),
         ("по", "итогам"), ("за", "підсумками"), ("па", "выніках"), ("по", "результатам"),
         ("за", "результатами"))
#: Words that open a subordinate clause (a new subject may follow).
SUBORDINATORS = {
    "что", "чтобы", "що", "щоб", "што", "каб", "где", "де", "дзе", "когда", "коли", "калі",
    "если", "якщо", "хотя", "хоча", "хаця", "котрий", "котра", "котрі",
    # relative pronouns in every case: "который ...", "яким Росія ...", "якія ўвялі ..."
    *(f"котор{e}" for e in ("ый", "ая", "ое", "ые", "ого", "ой", "ому", "ым", "ом", "ую", "ых",
                            "ыми")),
    *(f"як{e}" for e in ("ий", "а", "е", "і", "ого", "ої", "ому", "ій", "им", "у", "ою", "их",
                         "ими")),
    *(f"як{e}" for e in ("і", "ая", "ое", "ія", "ога", "ой", "ому", "ім", "ую", "іх", "імі")),
}
#: Conjunctions that open a new clause after a comma ("..., а Евросоюз заявил").
CLAUSE_CONJ = {"а", "но", "однако", "але", "проте", "однак", "аднак", "ды"}
CONJ = {"и", "і", "та", "й"}
#: "Each other": the joint subjects act on one another whatever the type.
EACH_OTHER = {("друг", "другу"), ("друг", "друга"), ("друг", "с"), ("один", "одному"),
              ("один", "одного"), ("одна", "одній"), ("одна", "одну"), ("адзін", "аднаму"),
              ("адзін", "аднаго"), ("адна", "адной")}
#: Stems of "unfriendly": the actor it is unfriendly *to* ("недружественные для России",
#: "недружественных России стран") is the one that lists the others.
UNFRIENDLY = ("недружествен", "недружелюб", "недружн", "недружалюб", "недружэлюб")
#: Words right after a preposition that make its phrase temporal ("в понедельник Россия").
TIME_WORDS = ("понедельн", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен",
              "понеділ", "вівтор", "четвер", "п'ятниц", "субот", "неділ", "панядзел",
              "аўтор", "серад", "чацвер", "пятніц", "нядзел", "январ", "феврал", "март",
              "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
              "січ", "лют", "берез", "квіт", "трав", "черв", "лип", "серп", "верес", "жовт",
              "листопад", "груд", "студзен", "сакавік", "красавік", "чэрв", "жнів", "кастрычнік",
              "снеж", "год", "году", "рок", "роц", "месяц", "місяц", "недел", "тижн", "тыдн",
              "вечер", "утр", "ноч", "день", "дня", "днях", "дні", "понедельник", "прошл",
              "минул", "мінул", "текущ", "этом", "цьому", "гэтым", "ближайш", "найближч",
              "бліжэйш", "ход", "рамк", "результат", "итог", "итоге", "ответ")
#: Role nouns naming an actor by its sector (the target of a domestic act) -> sector.
AGENT_STEMS: dict[str, str] = {
    **dict.fromkeys(("протестующ", "протестувальн", "пратэстоўц", "демонстрант", "дэманстрант",
                     "активист", "активіст", "актывіст", "журналист", "журналіст",
                     "правозащитн", "правозахисн", "праваабаронц", "политзаключ",
                     "політв'язн", "палітвязн", "заключенн", "ув'язнен", "зняволен", "вязн",
                     "задержанн", "затриман", "затрыман", "жител", "мешканц", "жыхар",
                     "граждан", "громадян", "грамадзян", "студент", "участник", "учасник",
                     "удзельнік", "волонтер", "валанцер", "блогер", "пленн", "полонен",
                     "палонн"), "civil society"),
    **dict.fromkeys(("оппозиц", "опозиц", "апазіц", "оппозиционер", "опозиціонер",
                     "апазіцыянер"), "opposition"),
    **dict.fromkeys(("министр", "міністр", "чиновник", "чыноўнік", "посадов", "депутат",
                     "дэпутат", "судь", "судд", "мэр", "губернатор", "заместител",
                     "заступник", "намеснік", "правительств", "уряд", "урад"), "government"),
    **dict.fromkeys(("военнослуж", "військовослуж", "вайскоўц", "солдат", "салдат", "офицер",
                     "офіцер", "афіцэр"), "military"),
    **dict.fromkeys(("полицейск", "поліцейськ", "паліцэйск", "милиционер", "міліцыянер",
                     "силовик", "сілавік"), "police"),
    **dict.fromkeys(("боевик", "бойовик", "баевік", "повстанц", "паўстанц", "сепаратист",
                     "сепаратыст"), "rebels"),
}
#: Types where joint subjects with no other target act on each other (as in English).
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
HOSTABLE = ("MOBILIZE", "THREATEN", "FIGHT")
#: Exercise stems: exercises of allies (joint, or hosted by an ally) are military
#: cooperation, not a show of force (PLOVER COOPERATE vs MOBILIZE).
EXERCISE = ("учени", "навчан", "вучэнн", "маневр", "манеўр")

WORD_RE = re.compile(r"[\w'’ʼ]+(?:-[\w'’ʼ]+)*")
_BOUNDARY = re.compile(r"[;:—–]|\s-\s")
#: Participle endings of Ukrainian and Belarusian (attributive or passive: not the main act),
#: and Ukrainian impersonal passives ("затримано"). Russian uses the parse's features.
_PARTICIPLE = re.compile(
    r"(?:ован|уван|аван|ен|ан|ян|ен|ит|ут)(?:ий|а|е|і|ого|ому|им|их|ої|ій|у|ою|ими|о|ы|ая|ае|"
    r"ыя|ага|аму|ым|ых|ую|ай)$")
#: Verbs of taking place: their subject noun is the event ("переговоры прошли").
HAPPEN = ("состоя", "прош", "прохо", "пройд", "нача", "начин", "заверш", "продолж", "відбу",
          "пройш", "розпоч", "адбы", "прайш", "пачал")
#: Verbs of calling, commenting and mentioning: what follows them is spoken of, not done by
#: their subject ("Путин назвал санкции США … недружественным шагом" is no sanction by Putin;
#: "МЗС України назвало вирок політично мотивованим" no verdict by Ukraine).
SPOKEN_OF = ("назвал", "назвав", "назваў", "называ", "назива", "прокомментир", "прокоментув",
             "пракаментава", "упомина", "упомяну", "згадува", "згадав", "згадва", "згадаў")
#: Trigger stems that are adjectives, not participles, whatever their ending.
ADJECTIVAL = UNFRIENDLY + ("ответн", "відповідн", "адказн", "ограничительн", "обмежувальн",
                           "абмежавальн", "совместн", "спільн", "сумесн", "нежелательн",
                           "небажан", "непажадан", "иностранн", "іноземн", "замежн",
                           "уголовн", "кримінальн", "крымінальн", "боев", "бойов", "баяв",
                           "черн", "чорн", "террористическ", "терористичн", "тэрарыстычн",
                           "экстремист", "екстреміст", "экстрэміс", "телефонн")


def guess_lang(text: str) -> str:
    """Russian, Ukrainian or Belarusian, from the letters only one of them uses: ў is
    Belarusian, ї/є/ґ Ukrainian, і with ы or э Belarusian, і alone Ukrainian."""
    low = text.lower()
    if "ў" in low:
        return "be"
    if any(ch in low for ch in "їєґ"):
        return "uk"
    if "і" in low:
        return "be" if "ы" in low or "э" in low else "uk"
    return "ru"


def norm(word: str) -> str:
    """Lower case, ё as е, ґ as г, one apostrophe."""
    return (word.lower().replace("ё", "е").replace("ґ", "г").replace("’", "'")
            .replace("ʼ", "'"))


@dataclass(frozen=True)
class Tok:
    text: str
    low: str
    start: int
    end: int


@dataclass(frozen=True)
class _Spec:
    stem: str
    exact: bool
    needs: tuple[str, ...]
    event_type: str
    text: str


def _parse_spec(spec: str, event_type: str) -> _Spec:
    head, _, need = spec.partition(">")
    exact = head.startswith("=")
    return _Spec(head.lstrip("="), exact, tuple(need.split("|")) if need else (),
                 RETYPE.get(spec, event_type), spec)


def _build() -> tuple[dict[str, list[_Spec]], dict[str, list[_Spec]]]:
    by_prefix: dict[str, list[_Spec]] = {}
    by_word: dict[str, list[_Spec]] = {}
    for event_type, specs in TRIGGERS.items():
        for spec in specs:
            s = _parse_spec(spec, event_type)
            (by_word if s.exact else by_prefix).setdefault(s.stem, []).append(s)
    for table in (by_prefix, by_word):
        for specs in table.values():
            specs.sort(key=lambda s: not s.needs)  # patterns with a needed word first
    return by_prefix, by_word


_BY_PREFIX, _BY_WORD = _build()
_MAX_STEM = max(len(k) for k in _BY_PREFIX)


def tokenize(text: str) -> list[Tok]:
    return [Tok(m.group(), norm(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _starts(low: str, stems: Iterable[str]) -> bool:
    return any(low == s[1:] if s.startswith("=") else low.startswith(s) for s in stems)


def _lookup(low: str) -> list[_Spec]:
    """The specs a token may trigger: patterns (a needed word) first, then longest stems."""
    out = list(_BY_WORD.get(low, []))
    for n in range(min(len(low), _MAX_STEM), 2, -1):
        out += _BY_PREFIX.get(low[:n], [])
    return sorted(out, key=lambda s: (not s.needs, -len(s.stem)))


@dataclass
class Trigger:
    index: int  # token index
    event_type: str
    how: str
    kind: str = "stem"  # stem | give | send | deploy
    stem: str = ""
    needs: tuple[str, ...] = ()


def find_triggers(toks: list[Tok]) -> list[Trigger]:
    """Every trigger of the sentence in token order (at most one per token)."""
    out = []
    for i, tok in enumerate(toks):
        nxt = [t.low for t in toks[i + 1:i + 1 + NEED_WINDOW]]
        wide = [t.low for t in toks[i + 1:i + 7]]
        hit: Trigger | None = None
        blocked = False
        for spec in _lookup(tok.low):
            if spec.needs and not any(w.startswith(spec.needs) for w in nxt):
                continue
            if spec.event_type == "NONE":
                blocked = True
                break
            hit = Trigger(i, spec.event_type, f"stem:{spec.text}", stem=spec.stem,
                          needs=spec.needs)
            break
        if blocked:
            break  # "подписал указ о ...": what follows is the decree's content
        nominal = tok.low.endswith(_NOMINAL_ENDINGS)
        if hit is None and not nominal and _starts(tok.low, GIVE) and any(
                _starts(w, GOODS) for w in wide):
            hit = Trigger(i, "AID", f"goods:{tok.low}", "give")
        if hit is None and not nominal and _starts(tok.low, SEND):
            if any(_starts(w, GOODS) for w in wide) and not any(
                    w.startswith(("войск", "військ", "вайск")) for w in wide):
                hit = Trigger(i, "AID", f"goods:{tok.low}", "send")
            elif any(w.startswith(TROOPS) for w in wide):
                hit = Trigger(i, "MOBILIZE", f"troops:{tok.low}", "deploy")
        if hit is None and not nominal and tok.low.startswith(DEPLOY):
            hit = Trigger(i, "MOBILIZE", f"deploy:{tok.low}", "deploy")
        if hit is not None:
            out.append(hit)
    return out


#: Endings of verbal nouns ("размещение", "розміщення", "размяшчэнне"): the act named, not
#: done, so verbs of giving/sending/deploying in this form are no trigger of their own.
_NOMINAL_ENDINGS = ("ение", "ения", "ению", "ением", "ении", "ание", "ания", "анию", "анием",
                    "ании", "ення", "енню", "енням", "енні", "ання", "анню", "анням", "анні",
                    "энне", "эння", "энню", "эннем", "энні", "анне", "аннем", "ка", "ки", "ку",
                    "кой", "ке", "ок", "ках", "кам", "ками")


# ---------------------------------------------------------------------------------- parse
@lru_cache(maxsize=1)
def _natasha() -> Any:
    """natasha's Russian segmenter, morphology tagger and dependency parser (offline)."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb)


def acyclic_heads(heads: dict[str, str | None]) -> dict[str, str | None]:
    """``heads`` (token id → its head's id) with every cycle cut: the token at which a walk up
    the heads first comes back to itself gets no head (it becomes a root).

    Why: the Natasha parser now and then gives two tokens each other as head, and every walk
    up the tree ("the verb this noun belongs to") then never ended: one Russian sentence hung
    `storyline ingest` for good."""
    out = dict(heads)
    done: set[str] = set()
    for start in out:
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = start
        while cur is not None and cur in out and cur not in done:
            if cur in on_path:
                out[cur] = None
                break
            path.append(cur)
            on_path.add(cur)
            cur = out[cur]
        done.update(path)
    return out


class RuParse:
    """A natasha dependency parse of a Russian sentence, aligned with :func:`tokenize`."""

    def __init__(self, text: str, toks: list[Tok]) -> None:
        from natasha import Doc

        seg, morph, syn = _natasha()
        doc = Doc(text)
        doc.segment(seg)
        doc.tag_morph(morph)
        doc.parse_syntax(syn)
        self.nodes = {t.id: t for t in doc.tokens}
        self.heads = acyclic_heads({t.id: t.head_id for t in doc.tokens})
        self.kids: dict[str, list[Any]] = {}
        for t in doc.tokens:
            self.kids.setdefault(self.heads[t.id], []).append(t)
        by_start = {t.start: t for t in doc.tokens}
        self.at = [by_start.get(tok.start) for tok in toks]

    def head(self, t: Any) -> Any | None:
        return self.nodes.get(self.heads.get(t.id))

    def subtree(self, t: Any, skip: frozenset[str] = frozenset()) -> list[Any]:
        out, stack = [], [t]
        while stack:
            cur = stack.pop()
            out.append(cur)
            stack.extend(k for k in self.kids.get(cur.id, []) if k.rel not in skip)
        return out

    @staticmethod
    def feat(t: Any, name: str) -> str | None:
        return (t.feats or {}).get(name) if t is not None else None

    def verb_of(self, t: Any) -> Any:
        """The verb (or predicative adjective) a trigger noun belongs to: up the heads
        through nouns, adjectives and prepositional phrases."""
        cur = t
        for _ in range(4):
            if cur.pos in ("VERB", "AUX") or cur.rel == "root" or (
                    cur.pos == "ADJ" and self.feat(cur, "Variant") == "Short"):
                return cur
            nxt = self.head(cur)
            if nxt is None:
                return cur
            cur = nxt
        return cur


#: Relations under a verb whose actors are not its participants (reported or side clauses).
_SIDE_RELS = frozenset({"parataxis", "advcl", "conj", "acl:relcl", "ccomp", "csubj", "punct",
                        "acl"})


def _parse(text: str, toks: list[Tok], lang: str) -> RuParse | None:
    """The Russian parse, for text that is Russian by its letters too (natasha's models are
    Russian only; a Ukrainian or Belarusian sentence is coded from word order)."""
    if lang != "ru" or guess_lang(text) != "ru":
        return None
    try:
        return RuParse(text, toks)
    except Exception:  # noqa: BLE001 - a parse is an aid, the word-order rules still work
        return None


# ---------------------------------------------------------------------------------- coding
def _inside(tok: Tok, mentions: list[Mention]) -> bool:
    return any(m.start <= tok.start and tok.end <= m.end for m in mentions)


def _overlaps(m: Mention, nodes: Iterable[Any]) -> bool:
    return any(m.start < n.stop and n.start < m.end for n in nodes)


def _tok_index(toks: list[Tok], pos: int) -> int:
    """Index of the first token starting at or after character ``pos``."""
    return next((k for k, t in enumerate(toks) if t.start >= pos), len(toks))


def _governor(toks: list[Tok], text: str, m: Mention, mentions: list[Mention],
              nominative: bool) -> int | None:
    """Index of the preposition whose phrase holds ``m`` (looking back over at most three
    lower-case words: "на территории Белоруссии", "против пяти латвийских чиновников"), or
    None when the mention is not inside a prepositional phrase. A name in its dictionary
    form (``nominative``) further back than the word after the preposition is outside it
    ("в понедельник Россия"), and so is anything after a temporal phrase."""
    first = _tok_index(toks, m.start)
    for k in range(first - 1, max(-1, first - 5), -1):
        tok = toks[k]
        gap = text[tok.end:toks[k + 1].start]
        if "," in gap or _BOUNDARY.search(gap):
            return None
        if tok.low in PREPS:
            if k + 1 < first and (nominative or toks[k + 1].low.startswith(TIME_WORDS)
                                  or toks[k + 1].text.isdigit()):
                return None
            return k
        if tok.text[:1].isupper() or _inside(tok, mentions):
            return None
    return None


def _aside(toks: list[Tok], gov: int | None) -> bool:
    """Whether the phrase of preposition ``gov`` gives a reason or a frame ("в ответ на",
    "в рамках"), looking at the few words before and at the preposition."""
    if gov is None:
        return False
    words = [t.low for t in toks[max(0, gov - 3):gov + 2]]
    return any(tuple(words[k:k + len(p)]) == p for p in ASIDE for k in range(len(words)))


def _opens_clause(toks: list[Tok], text: str, k: int) -> bool:
    gap = text[toks[k - 1].end:toks[k].start]
    return bool(_BOUNDARY.search(gap)) or "," in gap and (
        toks[k].low in SUBORDINATORS or toks[k].low in CLAUSE_CONJ)


def _clause(toks: list[Tok], text: str, i: int) -> tuple[int, int]:
    """Character range of the clause holding token ``i``: from the last subordinator, clause
    conjunction or semicolon/colon/dash before it to the next one after it."""
    start, end = 0, len(text)
    for k in range(i, 0, -1):
        if _opens_clause(toks, text, k):
            start = toks[k].start
            break
    for k in range(i + 1, len(toks)):
        if _opens_clause(toks, text, k):
            end = toks[k - 1].end
            break
    return start, end


def _country(m: Mention | None) -> str | None:
    if m is None:
        return None
    return m.country or (m.actor_id if m.kind == "country" else None)


def _mood(toks: list[Tok], trig: Trigger, parse: RuParse | None) -> tuple[str, str] | None:
    """PLOVER's intent and negation conventions (see ``Coder._mood``)."""
    i, etype = trig.index, trig.event_type
    fam = plover.family(etype)
    coop = fam in plover.COOPERATION
    if i > 0 and toks[i - 1].low in NEGATION:
        if coop:
            return "REJECT", "+neg"
        return None if fam == plover.MATERIAL_CONFLICT else (etype, "")
    window = {t.low for t in toks[max(0, i - 3):i]}
    node = parse.at[i] if parse is not None else None
    future = (toks[i].low in FUTURE_FORMS or bool(window & INTENT)
              or RuParse.feat(node, "Tense") == "Fut")
    if not future:
        return etype, ""
    if coop and etype != "AGREE":
        return "AGREE", "+intent"
    if fam == plover.MATERIAL_CONFLICT:
        return "THREATEN", "+intent"
    return etype, ""


def _form(toks: list[Tok], trig: Trigger, parse: RuParse | None) -> str:
    """How the trigger word is used: "verb" (finite or infinitive), "passive", "secondary"
    (an attributive participle or a gerund: background to the main act) or "noun"."""
    if parse is not None:
        node = parse.at[trig.index]
        if node is None:
            return "noun"
        form, voice = RuParse.feat(node, "VerbForm"), RuParse.feat(node, "Voice")
        short = RuParse.feat(node, "Variant") == "Short"
        if voice == "Pass" and (short or form == "Fin"):
            return "passive"
        if form == "Part" and not short:
            return "attributive"
        if form == "Conv":
            return "secondary"
        if node.pos in ("NOUN", "PROPN") and node.rel == "nsubj":
            head = parse.head(node)
            if head is not None and head.pos == "VERB" and not head.text.lower().startswith(
                    HAPPEN):
                return "secondary"  # "договорённость не нарушает ...": spoken about
        if node.pos in ("VERB", "AUX") or node.pos == "ADJ" and short:
            return "verb"
        cur, steps = node, 0
        while cur is not None and cur.pos not in ("VERB", "AUX") and cur.rel != "root":
            cur, steps = parse.head(cur), steps + 1
        if cur is not None and cur.pos not in ("VERB", "AUX") and steps > 1:
            return "attributive"  # deep in a verbless list ("Среди них — декрет ..., директива о")
        return "noun"
    low = toks[trig.index].low
    if trig.kind == "stem" and not trig.stem.startswith(ADJECTIVAL) and _PARTICIPLE.search(low):
        return "passive"
    return "verb"


#: Conjunctions that join a second predicate to the first ("назвало вирок … і закликало").
_AND = frozenset({"и", "і", "й", "та", "а", "но", "але", "однак", "однако"})


def _spoken_of(toks: list[Tok], k: int) -> bool:
    """Whether token ``k`` follows a verb of :data:`SPOKEN_OF` in its predicate (no
    conjunction between): "Путин назвал санкции США …", not "назвало вирок … і закликало"."""
    for tok in reversed(toks[:k]):
        if tok.low in _AND:
            return False
        if _starts(tok.low, SPOKEN_OF):
            return True
    return False


def _choose(toks: list[Tok], triggers: list[Trigger], mentions: list[Mention],
            parse: RuParse | None) -> tuple[Trigger, str, str, str] | None:
    """The main event's trigger, its type after mood, the mood note and the trigger's form.

    The first trigger wins, but triggers inside an actor's name, in a reason or frame
    phrase, or in a participle or gerund (Ukrainian/Belarusian participles too) yield to
    any other; with a Russian parse a noun trigger also yields to a trigger verb it depends
    on ("эти обвинения отвергли" is REJECT)."""
    def aside(t: Trigger) -> bool:
        k = t.index
        if _inside(toks[k], mentions):
            return True
        for end in (k, k - 1):  # the marker right before, or with one lower-case word between
            if end < k and not toks[end].text[:1].islower():
                break
            words = tuple(x.low for x in toks[max(0, end - 3):end])
            if any(words[len(words) - len(p):] == p for p in ASIDE if len(p) <= len(words)):
                return True
        return False

    forms = {t.index: _form(toks, t, parse) for t in triggers}
    triggers = [t for t in triggers if forms[t.index] != "attributive"
                and not _spoken_of(toks, t.index)]
    if not triggers:
        return None
    rank = {t.index: (aside(t), forms[t.index] == "secondary"
                      or forms[t.index] == "passive" and parse is None and len(triggers) > 1)
            for t in triggers}
    ordered = sorted(triggers, key=lambda t: (rank[t.index], t.index))
    if parse is not None and forms[ordered[0].index] in ("noun", "secondary"):
        node = parse.at[ordered[0].index]
        verb = parse.verb_of(node) if node is not None else None
        for t in ordered[1:]:
            if verb is not None and parse.at[t.index] is verb and not rank[t.index][0]:
                ordered.remove(t)
                ordered.insert(0, t)
                break
    for t in ordered:
        mood = _mood(toks, t, parse)
        if mood is not None:
            return t, mood[0], mood[1], forms[t.index]
    return None


def _nominative(coder: Coder, m: Mention) -> bool:
    """Whether a mention is written as one of its actor's names (dictionary form)."""
    actor = coder.resolver.gaz.get(m.actor_id)
    if actor is None:
        return False
    names = {norm(a) for spellings in actor.aliases.values() for a in spellings}
    return norm(m.text) in names


def code(coder: Coder, sentence: str, when: date | datetime | str | None,
         lang: str) -> list[EventRecord]:
    """Code one Russian, Ukrainian or Belarusian sentence (see the module docstring)."""
    toks = tokenize(sentence)
    triggers = find_triggers(toks)
    if not triggers:
        return []
    mentions = coder.resolver.resolve(sentence, when, lang)
    parse = _parse(sentence, toks, lang)
    chosen = _choose(toks, triggers, mentions, parse)
    if chosen is None:
        return []
    trig, etype, how_mood, form = chosen
    ttok = toks[trig.index]
    c_start, c_end = _clause(toks, sentence, trig.index)
    govs = {id(m): _governor(toks, sentence, m, mentions, _nominative(coder, m))
            for m in mentions}
    free = [m for m in mentions if govs[id(m)] is None]
    passive = form == "passive" and trig.kind != "deploy"  # deployed forces are the source's

    src: Mention | None = None
    fixed_targets: list[Mention] | None = None
    how = how_mood
    # Russian: the parse's subject (object) where it names an actor
    node = parse.at[trig.index] if parse is not None else None
    verb = parse.verb_of(node) if parse is not None and node is not None else None
    by_order = True  # may the source be guessed from word order?
    if parse is not None and verb is not None:
        src, fixed_targets, how, by_order = _parsed_roles(parse, verb, mentions, passive, how)
    elif passive:
        # Ukrainian/Belarusian passive: the subject named before is what is acted on
        before = [m for m in free if m.end <= ttok.start and m.start >= c_start]
        fixed_targets = before[:1]
    adj = next((k for k in range(trig.index, min(len(toks), trig.index + NEED_WINDOW + 1))
                if toks[k].low.startswith(UNFRIENDLY)), None)
    if adj is not None and trig.event_type == "SANCTION":
        # "стали недружественными для России", "перечень недружественных России стран"
        k = adj + 1
        lister = next((m for m in mentions if m.start >= toks[adj].end and (
            govs[id(m)] is not None and toks[govs[id(m)]].low == "для"
            and govs[id(m)] <= k + 1 or m.start == (toks[k].start if k < len(toks) else -1))),
            None)
        if lister is not None:
            others = [m for m in free if m.end <= ttok.start and m.actor_id != lister.actor_id]
            src, fixed_targets, passive = lister, others[:1], True
            how += "+unfriendly_to"
    if src is None and not passive and by_order:
        before = [m for m in mentions if m.end <= ttok.start]
        in_clause = [m for m in before if m.start >= c_start]
        for group in (in_clause, before):
            cand = [m for m in group if govs[id(m)] is None
                    and (fixed_targets is None or m not in fixed_targets)]
            if cand:
                src = cand[0]
                break
    if src is None:  # a place where it happens: "В Минске ...", "У Тбілісі тисячі людей ..."
        places = [m for m in mentions if m.end <= ttok.start or passive]
        places = [m for m in places if govs[id(m)] is not None
                  and toks[govs[id(m)]].low in LOCATIVE and not _aside(toks, govs[id(m)])
                  and (fixed_targets is None or m not in fixed_targets or not passive)]
        src = places[0] if places else None
        if src is not None and fixed_targets is not None:
            fixed_targets = [m for m in fixed_targets if m is not src]
        if src is not None and passive:
            how += "+passive_place"
    if src is None:
        if coder.require_source:
            return []
        return [_record(None, None, etype, trig, how, ttok, sentence, when, lang, False)]

    partners, np_end = _partners(toks, sentence, src, mentions, ttok)
    sources = [src]
    for p_ in partners:  # one actor per country ("Президенты России и Белоруссии Путин и ...")
        if all(p_.actor_id != q.actor_id and (_country(p_) is None or _country(p_) != _country(q))
               for q in sources):
            sources.append(p_)
    taken = {m.actor_id for m in sources}

    def eligible(m: Mention) -> bool:
        if m.actor_id in taken or m in partners:
            return False
        gov = govs[id(m)]
        if _aside(toks, gov):
            return False
        return not (gov is not None and toks[gov].low in LOCATIVE
                    and _country(m) and _country(m) == _country(src))

    if fixed_targets is not None:
        targets = [m for m in fixed_targets if eligible(m)]
    else:
        targets = [m for m in mentions if m.start >= np_end and eligible(m)
                   and not (m.end > c_end and m.start > ttok.end)]
    # where it happens ("встретился в Пекине с Путиным") is the target only when no one
    # else is; for deployments the place is the host
    hosting = trig.kind == "deploy" or trig.stem.startswith(EXERCISE)
    if not hosting:
        targets.sort(key=lambda m: govs[id(m)] is not None
                     and toks[govs[id(m)]].low in LOCATIVE)
    targets = targets[:1]
    member = coder._member  # noqa: SLF001
    if partners and targets and all(member(targets[0].actor_id, _country(s), when)
                                    for s in sources):
        targets = []  # "Россия и Белоруссия договорились о ... группировки Союзного государства"
    words = [t.low for t in toks]
    each_other = any(tuple(words[k:k + 2]) in EACH_OTHER for k in range(len(words) - 1))
    out = []
    for s in sources:
        mutual = etype in RECIPROCAL_TYPES or each_other or (
            hosting and etype in HOSTABLE and len(sources) > 1)
        partner_targets = targets or ([p for p in sources if p is not s]
                                      if mutual and len(sources) > 1 else [])
        for t in partner_targets or [None]:
            tgt = t
            if tgt is None and trig.kind == "stem" and not passive:
                tgt = _agent_target(toks, trig.index, c_end, s, mentions)
            kind, note = etype, how
            a, b = _country(s), _country(t)
            allied = bool(a and b and a != b and coder._allied(a, b, when))  # noqa: SLF001
            if (t is not None and kind in HOSTABLE and hosting and allied and (
                    not targets or govs[id(t)] is not None
                    and toks[govs[id(t)]].low in LOCATIVE)):
                # forces put in an ally's territory, or allies deploying or training jointly
                kind, note = "COOPERATE", note + ("+allies" if not targets else "+ally_hosts")
            out.append(_record(s, tgt, kind, trig, note, ttok, sentence, when, lang,
                               not targets and t is not None))
    return out


def _parsed_roles(parse: RuParse, verb: Any, mentions: list[Mention], passive: bool,
                  how: str) -> tuple[Mention | None, list[Mention] | None, str, bool]:
    """Source and targets from a Russian parse: the subject of the trigger's verb (of the
    verb it depends on, for a controlled or coordinated verb) is the source, actors in its
    other dependents (objects first) the targets; in the passive the subject is the target
    and the agent ("кем") the source. The last value says whether word order may still
    guess the source: only when the subject is a pronoun (its antecedent is earlier) - a
    subject naming no known actor ("стороны обсудили") or none at all ("в Кремле
    отвергли": the place acts) leaves the source to the place rule or unknown."""
    kids = parse.kids.get(verb.id, [])
    subj_rel = "nsubj:pass" if passive else "nsubj"
    subj = [k for k in kids if k.rel == subj_rel]
    cur = verb
    while not subj and cur.rel in ("xcomp", "conj") and parse.head(cur) is not None:
        cur = parse.head(cur)
        subj = [k for k in parse.kids.get(cur.id, []) if k.rel == "nsubj"]
    subj_nodes = [n for k in subj for n in parse.subtree(k)]
    in_subj = [m for m in mentions if _overlaps(m, subj_nodes)]
    inner = [n for k in kids if k.rel not in _SIDE_RELS and k not in subj
             for n in parse.subtree(k, _SIDE_RELS)]
    objects = [n for k in kids if k.rel in ("obj", "iobj")
               for n in parse.subtree(k, _SIDE_RELS)]
    if not objects:  # "помиловала и освободила журналиста": the last conjunct has the object
        objects = [n for c in kids if c.rel == "conj" and c.pos == "VERB"
                   for k in parse.kids.get(c.id, []) if k.rel in ("obj", "iobj")
                   for n in parse.subtree(k, _SIDE_RELS)]
        inner += objects
    agent = [n for k in kids if k.rel == "obl:agent" or k.rel == "obl" and passive
             and RuParse.feat(k, "Case") == "Ins" and not any(
                 c.rel == "case" for c in parse.kids.get(k.id, []))
             for n in parse.subtree(k, _SIDE_RELS)]
    if passive:
        src = next((m for m in mentions if _overlaps(m, agent)), None)
        return src, in_subj[:1] or [m for m in mentions if _overlaps(m, inner)
                                    and not _overlaps(m, agent)][:1], how + "+passive", False
    rest = [m for m in mentions if m not in in_subj]
    parsed_targets = ([m for m in rest if _overlaps(m, objects)]
                      + [m for m in rest if _overlaps(m, inner) and not _overlaps(m, objects)])
    if not in_subj:
        pronoun = any(k.pos in ("PRON", "DET") for k in subj)
        return None, parsed_targets or None, how, pronoun
    head_tok = subj[0]
    src = next((m for m in in_subj if m.start <= head_tok.start < m.end), in_subj[0])
    return src, parsed_targets or None, how + "+parse", False


def _partners(toks: list[Tok], text: str, src: Mention, mentions: list[Mention],
              ttok: Tok) -> tuple[list[Mention], int]:
    """Actors joined to the source by "и/і/та/й" before the trigger, and where the source's
    noun phrase ends (names and mentions following it belong to it)."""
    partners: list[Mention] = []
    k = _tok_index(toks, src.end)
    np_end = src.end
    while k < len(toks) and toks[k].start < ttok.start:
        tok = toks[k]
        inside = [m for m in mentions if m.start <= tok.start < m.end]
        if inside:
            np_end = max(np_end, inside[0].end)
            if inside[0].actor_id != src.actor_id and k > 0 and toks[k - 1].low in CONJ:
                partners.append(inside[0])
            k = _tok_index(toks, inside[0].end)
            continue
        if tok.low in CONJ and k + 1 < len(toks) and any(
                m.start == toks[k + 1].start for m in mentions):
            k += 1
            continue
        if tok.text[:1].isupper() and "," not in text[np_end:tok.start]:
            np_end = tok.end
            k += 1
            continue
        break
    return partners, np_end


def _agent_target(toks: list[Tok], i: int, c_end: int, src: Mention,
                  mentions: list[Mention]) -> Mention | None:
    """A target named by its role only ("задержали участников акции"): the source's country
    with the role's sector (a domestic act), as ``Coder._agent_target`` does in English."""
    country = _country(src)
    if not country:
        return None
    for tok in toks[i + 1:]:
        if tok.start >= c_end:
            break
        if _inside(tok, mentions):
            continue
        sector = next((s for stem, s in AGENT_STEMS.items() if tok.low.startswith(stem)), None)
        if sector:
            return Mention(country, tok.start, tok.end, sector, tok.text, kind="country",
                           country=country,
                           meta={"inferred": "a role noun takes the source's country"})
    return None


def _record(src: Mention | None, tgt: Mention | None, etype: str, trig: Trigger, how: str,
            ttok: Tok, sentence: str, when: Any, lang: str, reciprocal: bool) -> EventRecord:
    from storyline.events.coder import _as_datetime, actor_meta

    return EventRecord(
        source_actor=src.actor_id if src else "", event_type=etype,
        target_actor=tgt.actor_id if tgt else None,
        intensity=plover.intensity(etype), date=_as_datetime(when), sentence=sentence,
        meta={"family": plover.family(etype), "cameo": None, "rule": trig.how + how,
              "trigger": ttok.text, "trigger_span": [ttok.start, ttok.end],
              **actor_meta(src, tgt), "lang": lang, "reciprocal": reciprocal},
    )
