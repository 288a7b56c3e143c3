"""Words the simulator builds names, e-mails, products and review texts from."""

from __future__ import annotations

__all__ = [
    "ADJECTIVES",
    "CATEGORY_TREE",
    "EMAIL_DOMAINS",
    "FIRST_NAMES",
    "LAST_NAMES",
    "MATERIALS",
    "REVIEW_PHRASES",
]

FIRST_NAMES = (
    "Anna Boris Clara Daniel Elena Felix Greta Hugo Irina Jonas Kira Leon Maria Nikita Olga Pavel "
    "Quinn Rosa Sergei Tanya Ulrich Vera Wanda Xenia Yuri Zoe Alexei Bella Carlos Dana Emil Farida "
    "Gleb Hana Igor Julia Kostya Lena Marat Nadia Oscar Polina Roman Sofia Timur Uma Victor Wendy "
    "Yana Zakhar Amir Bianca Cyril Diana Eva Fedor Gaia Henrik Ilya Jana Karim Lara Mikhail Nora "
    "Oleg Petra Ruslan Sara Taras Ursula Vlad Alina Denis Ksenia Artem Milena Egor Alisa Maxim Eric"
).split()

LAST_NAMES = (
    "Ivanova Petrov Smirnova Kuznetsov Popova Sokolov Lebedeva Kozlov Novikova Morozov Volkova "
    "Solovyov Vasilieva Zaitsev Pavlova Semenov Golubeva Vinogradov Bogdanova Vorobyov Fedorova "
    "Mikhailov Belyaeva Tarasov Belova Komarov Orlova Kiselev Makarova Andreev Kovalenko Ilyin "
    "Gusev Titova Kuzmin Kudryavtseva Baranov Kulikova Alekseev Stepanova Yakovlev Sorokina "
    "Sergeev Romanova Zakharov Borisova Korolev Gerasimova Ponomarev Grigorieva Lazarev Medvedeva "
    "Ershov Nikitina Sobolev Muller Schmidt Garcia Martin Rossi Bernard Silva Novak Horvat Jensen"
).split()

EMAIL_DOMAINS = ("mail.example", "inbox.example", "post.example", "shop.example")

# Two levels: top category -> sub-categories, each with nouns for product names.
CATEGORY_TREE: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("Electronics", (
        ("Headphones", ("Headphones", "Earbuds", "Headset")),
        ("Phones", ("Smartphone", "Phone Case", "Charger")),
        ("Laptops", ("Laptop", "Notebook Stand", "Laptop Sleeve")),
        ("Cameras", ("Camera", "Lens", "Tripod")),
        ("Smart Home", ("Smart Bulb", "Smart Plug", "Speaker")),
    )),
    ("Home", (
        ("Kitchen", ("Kettle", "Pan", "Knife Set")),
        ("Furniture", ("Chair", "Desk", "Shelf")),
        ("Bedding", ("Pillow", "Blanket", "Duvet")),
        ("Lighting", ("Lamp", "Lantern", "Light Strip")),
    )),
    ("Fashion", (
        ("Shoes", ("Sneakers", "Boots", "Sandals")),
        ("Outerwear", ("Jacket", "Coat", "Parka")),
        ("Accessories", ("Backpack", "Wallet", "Scarf")),
        ("Watches", ("Watch", "Watch Strap", "Smartwatch")),
    )),
    ("Sports", (
        ("Fitness", ("Dumbbell", "Yoga Mat", "Kettlebell")),
        ("Cycling", ("Bike Helmet", "Bike Light", "Cycling Gloves")),
        ("Running", ("Running Shoes", "Running Belt", "Water Bottle")),
        ("Camping", ("Tent", "Sleeping Bag", "Camp Stove")),
    )),
    ("Books", (
        ("Fiction", ("Novel", "Short Stories", "Thriller")),
        ("Science", ("Physics Primer", "Biology Atlas", "Math Puzzles")),
        ("Children", ("Picture Book", "Fairy Tales", "Activity Book")),
    )),
    ("Beauty", (
        ("Skincare", ("Face Cream", "Serum", "Cleanser")),
        ("Haircare", ("Shampoo", "Hair Dryer", "Comb")),
        ("Fragrance", ("Perfume", "Eau de Toilette", "Body Mist")),
    )),
    ("Toys", (
        ("Puzzles", ("Jigsaw Puzzle", "3D Puzzle", "Brain Teaser")),
        ("Construction", ("Building Set", "Marble Run", "Robot Kit")),
        ("Board Games", ("Board Game", "Card Game", "Chess Set")),
    )),
    ("Garden", (
        ("Tools", ("Shovel", "Pruner", "Rake")),
        ("Plants", ("Seed Kit", "Planter", "Watering Can")),
    )),
)

ADJECTIVES = (
    "Classic Compact Deluxe Eco Essential Ultra Pro Smart Premium Basic Urban Nordic Vintage "
    "Lightweight Rugged Silent Wireless Foldable Portable Cozy Bold Minimal Everyday Travel"
).split()

MATERIALS = "cotton steel bamboo leather aluminium oak wool recycled-plastic glass ceramic".split()

REVIEW_PHRASES: dict[int, tuple[str, ...]] = {
    1: ("Broke after a week.", "Not as described.", "Would not buy again."),
    2: ("Disappointing quality.", "Arrived late and scratched.", "Works, barely."),
    3: ("Does the job.", "Average for the price.", "Okay, nothing special."),
    4: ("Good value.", "Happy with it.", "Works well, minor flaws."),
    5: ("Excellent!", "Exactly what I needed.", "Great quality, fast delivery."),
}
