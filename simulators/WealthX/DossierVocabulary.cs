namespace Tributary.Simulators.WealthX;

/// <summary>The word pools synthetic dossiers are drawn from. Changing any list changes every generated page.</summary>
public static class DossierVocabulary
{
    /// <summary>A country with what a dossier needs to sound local.</summary>
    public sealed record CountryProfile(
        string Code,
        string Name,
        string Nationality,
        IReadOnlyList<string> Cities,
        IReadOnlyList<string> Streets,
        string LegalForm,
        string PhonePrefix,
        string EmailDomain);

    public static IReadOnlyList<CountryProfile> Countries { get; } =
    [
        new("US", "United States", "American", ["New York", "San Francisco", "Miami", "Dallas", "Boston"], ["Park Avenue", "Market Street", "Brickell Avenue", "Main Street"], "Inc.", "+1", "com"),
        new("GB", "United Kingdom", "British", ["London", "Edinburgh", "Manchester"], ["Mayfair Place", "St James's Street", "George Street"], "plc", "+44", "co.uk"),
        new("CH", "Switzerland", "Swiss", ["Zurich", "Geneva", "Basel", "Lugano"], ["Bahnhofstrasse", "Rue du Rhone", "Aeschenvorstadt"], "AG", "+41", "ch"),
        new("DE", "Germany", "German", ["Munich", "Hamburg", "Frankfurt", "Dusseldorf"], ["Maximilianstrasse", "Jungfernstieg", "Neue Mainzer Strasse"], "GmbH", "+49", "de"),
        new("FR", "France", "French", ["Paris", "Lyon", "Nice"], ["Avenue Montaigne", "Rue de la Republique", "Promenade des Anglais"], "SA", "+33", "fr"),
        new("IT", "Italy", "Italian", ["Milan", "Rome", "Turin"], ["Via Montenapoleone", "Via Condotti", "Via Roma"], "S.p.A.", "+39", "it"),
        new("ES", "Spain", "Spanish", ["Madrid", "Barcelona", "Valencia"], ["Calle de Serrano", "Passeig de Gracia", "Calle Colon"], "S.A.", "+34", "es"),
        new("NL", "Netherlands", "Dutch", ["Amsterdam", "Rotterdam", "The Hague"], ["Herengracht", "Coolsingel", "Lange Voorhout"], "N.V.", "+31", "nl"),
        new("SE", "Sweden", "Swedish", ["Stockholm", "Gothenburg"], ["Strandvagen", "Kungsportsavenyn"], "AB", "+46", "se"),
        new("SG", "Singapore", "Singaporean", ["Singapore"], ["Orchard Road", "Raffles Place", "Marina Boulevard"], "Pte. Ltd.", "+65", "com.sg"),
        new("HK", "Hong Kong", "Hong Konger", ["Hong Kong"], ["Queen's Road Central", "Des Voeux Road", "Connaught Road"], "Limited", "+852", "com.hk"),
        new("AE", "United Arab Emirates", "Emirati", ["Dubai", "Abu Dhabi"], ["Sheikh Zayed Road", "Corniche Road"], "LLC", "+971", "ae"),
        new("IN", "India", "Indian", ["Mumbai", "Bengaluru", "New Delhi"], ["Nariman Point", "MG Road", "Connaught Place"], "Ltd.", "+91", "in"),
        new("BR", "Brazil", "Brazilian", ["Sao Paulo", "Rio de Janeiro"], ["Avenida Paulista", "Avenida Atlantica"], "S.A.", "+55", "com.br"),
        new("CA", "Canada", "Canadian", ["Toronto", "Vancouver", "Montreal"], ["Bay Street", "Burrard Street", "Rue Sherbrooke"], "Inc.", "+1", "ca"),
        new("AU", "Australia", "Australian", ["Sydney", "Melbourne", "Perth"], ["George Street", "Collins Street", "St Georges Terrace"], "Pty Ltd", "+61", "com.au"),
        new("JP", "Japan", "Japanese", ["Tokyo", "Osaka"], ["Marunouchi", "Midosuji"], "K.K.", "+81", "co.jp"),
        new("MC", "Monaco", "Monegasque", ["Monaco"], ["Boulevard des Moulins", "Avenue de la Costa"], "S.A.M.", "+377", "mc"),
    ];

    public static IReadOnlyList<string> MaleFirstNames { get; } =
    [
        "James", "Michael", "Robert", "David", "William", "Thomas", "Charles", "Daniel", "Matthew", "Andrew",
        "Lukas", "Felix", "Maximilian", "Jonas", "Pierre", "Louis", "Antoine", "Marco", "Luca", "Alessandro",
        "Javier", "Carlos", "Mateo", "Lars", "Erik", "Hiroshi", "Kenji", "Arjun", "Rahul", "Vikram",
        "Omar", "Khalid", "Rafael", "Gustavo", "Wei", "Jun", "Ethan", "Oliver", "Henry", "Sebastian",
    ];

    public static IReadOnlyList<string> FemaleFirstNames { get; } =
    [
        "Mary", "Elizabeth", "Jennifer", "Catherine", "Sarah", "Emily", "Victoria", "Charlotte", "Olivia", "Sophia",
        "Anna", "Lena", "Sophie", "Claire", "Camille", "Isabelle", "Giulia", "Francesca", "Chiara", "Lucia",
        "Carmen", "Elena", "Ingrid", "Astrid", "Yuki", "Aiko", "Priya", "Ananya", "Leila", "Fatima",
        "Beatriz", "Mariana", "Mei", "Lin", "Grace", "Amelia", "Harriet", "Eleanor", "Margaux", "Valentina",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Anderson", "Whitfield", "Harrington", "Caldwell", "Montgomery", "Sinclair", "Ashford", "Beaumont", "Kensington", "Lancaster",
        "Mueller", "Schneider", "Hoffmann", "Brandt", "Steiner", "Keller", "Baumann", "Favre", "Dubois", "Laurent",
        "Moreau", "Rossi", "Bianchi", "Ferraro", "Conti", "Marchetti", "Garcia", "Fernandez", "Navarro", "Castillo",
        "Lindqvist", "Johansson", "de Vries", "van der Berg", "Tanaka", "Nakamura", "Sato", "Mehta", "Kapoor", "Reddy",
        "Al Mansouri", "Haddad", "Oliveira", "Carvalho", "Chen", "Wong", "Lim", "Tan", "O'Connor", "MacLeod",
    ];

    public static IReadOnlyList<string> CompanyStems { get; } =
    [
        "Northbridge", "Aurelian", "Silverline", "Helvetic", "Meridian", "Blackwater", "Crescent", "Summit", "Pinnacle", "Evergreen",
        "Altamira", "Bluefin", "Cobalt", "Falcon", "Granite", "Harbour", "Ironwood", "Juniper", "Keystone", "Lighthouse",
        "Monarch", "Nordic", "Orion", "Polaris", "Quartz", "Redwood", "Sterling", "Tidewater", "Vanguard", "Westbrook",
    ];

    /// <summary>An industry with the words that make a company, a role and a wealth story sound like it.</summary>
    public sealed record IndustryProfile(string Name, string CompanyWord, string Activity, IReadOnlyList<string> Focus);

    public static IReadOnlyList<IndustryProfile> Industries { get; } =
    [
        new("Private Equity", "Capital", "buyouts of mid-sized industrial companies", ["healthcare services", "industrial technology", "consumer brands"]),
        new("Real Estate", "Properties", "commercial and residential property development", ["prime office space", "logistics parks", "luxury residential"]),
        new("Technology", "Technologies", "enterprise software and cloud infrastructure", ["artificial intelligence", "cybersecurity", "payments"]),
        new("Banking & Finance", "Financial", "private banking and asset management", ["wealth management", "fintech", "credit funds"]),
        new("Energy", "Energy", "oil, gas and renewable power generation", ["offshore wind", "solar", "energy storage"]),
        new("Pharmaceuticals", "Pharma", "specialty pharmaceuticals and generics", ["oncology", "rare diseases", "biotechnology"]),
        new("Retail", "Retail", "premium retail and e-commerce", ["luxury goods", "grocery", "fashion"]),
        new("Shipping & Logistics", "Maritime", "container shipping and port logistics", ["dry bulk", "container terminals", "freight forwarding"]),
        new("Manufacturing", "Industries", "precision engineering and industrial machinery", ["automation", "aerospace components", "automotive parts"]),
        new("Hospitality", "Hospitality", "luxury hotels and resorts", ["boutique hotels", "private clubs", "restaurants"]),
        new("Media & Entertainment", "Media", "broadcasting, publishing and streaming", ["sports rights", "film production", "digital media"]),
        new("Agriculture", "Agri", "agricultural land and food processing", ["farmland", "agritech", "food brands"]),
    ];

    public static IReadOnlyList<string> Positions { get; } =
    [
        "Founder & Chairman", "Chief Executive Officer", "Executive Chairman", "Founder & CEO", "Managing Partner",
        "Chairman of the Board", "Co-Founder & President", "Principal Shareholder", "Vice Chairman", "Managing Director",
    ];

    public static IReadOnlyList<string> EarlierPositions { get; } =
    [
        "Analyst", "Associate", "Vice President", "Director", "Partner", "Head of Strategy", "Chief Financial Officer",
        "Chief Operating Officer", "Regional Manager", "Head of Corporate Development", "Board Member", "Senior Consultant",
    ];

    public static IReadOnlyList<string> EarlierEmployers { get; } =
    [
        "Goldman Sachs", "McKinsey & Company", "Morgan Stanley", "UBS", "Credit Suisse", "Deutsche Bank", "BNP Paribas",
        "Boston Consulting Group", "J.P. Morgan", "Bain & Company", "Procter & Gamble", "Unilever", "Siemens", "Nestle",
        "HSBC", "Barclays", "KKR", "Blackstone", "Shell", "General Electric",
    ];

    /// <summary>A university and the country it is in.</summary>
    public sealed record University(string Name, string Country);

    public static IReadOnlyList<University> Universities { get; } =
    [
        new("Harvard University", "US"), new("Stanford University", "US"), new("Massachusetts Institute of Technology", "US"),
        new("Wharton School, University of Pennsylvania", "US"), new("Columbia University", "US"), new("University of Oxford", "GB"),
        new("University of Cambridge", "GB"), new("London School of Economics", "GB"), new("ETH Zurich", "CH"),
        new("University of St. Gallen", "CH"), new("INSEAD", "FR"), new("HEC Paris", "FR"), new("Bocconi University", "IT"),
        new("IE Business School", "ES"), new("Ludwig Maximilian University of Munich", "DE"), new("Stockholm School of Economics", "SE"),
        new("National University of Singapore", "SG"), new("University of Tokyo", "JP"), new("Indian Institute of Technology Bombay", "IN"),
        new("University of Toronto", "CA"), new("University of Sydney", "AU"), new("IMD Lausanne", "CH"),
    ];

    public static IReadOnlyList<string> Degrees { get; } = ["BA", "BSc", "MA", "MSc", "MBA", "PhD", "LLM", "JD", "BEng", "MEng"];

    public static IReadOnlyList<string> FieldsOfStudy { get; } =
    [
        "Economics", "Business Administration", "Finance", "Law", "Mechanical Engineering", "Computer Science",
        "Chemistry", "Political Science", "History", "Mathematics", "Architecture", "Medicine", "Physics",
    ];

    public static IReadOnlyList<string> Interests { get; } =
    [
        "Sailing", "Contemporary art", "Polo", "Golf", "Classical music", "Skiing", "Wine collecting", "Vintage cars",
        "Horse breeding", "Aviation", "Mountaineering", "Tennis", "Opera", "Rare books", "Yachting", "Photography",
        "Architecture", "Equestrian sports", "Cycling", "Deep-sea fishing", "Jazz", "Watch collecting", "Gastronomy",
    ];

    public static IReadOnlyList<string> Causes { get; } =
    [
        "medical research", "early-childhood education", "ocean conservation", "the arts", "scholarships for first-generation students",
        "climate resilience", "mental health", "clean water access", "wildlife protection", "entrepreneurship in emerging markets",
    ];

    public static IReadOnlyList<string> PhilanthropyRoles { get; } = ["Founder", "Trustee", "Board Member", "Patron", "Honorary Chair", "Major Donor"];

    public static IReadOnlyList<string> Organizations { get; } =
    [
        "Museum of Modern Art", "Royal Opera House", "Red Cross", "World Wildlife Fund", "Doctors Without Borders",
        "Teach For All", "Save the Children", "The Nature Conservancy", "Clinton Global Initiative", "Wellcome Trust",
        "Fondation Beyeler", "Tate Foundation", "Aga Khan Foundation", "Rotary International",
    ];

    /// <summary>An asset class and how a dossier describes a holding of it.</summary>
    public sealed record AssetClass(string Name, string Description);

    public static IReadOnlyList<AssetClass> AssetClasses { get; } =
    [
        new("Private holdings", "Controlling and minority stakes in privately held operating companies."),
        new("Public holdings", "Listed equity positions, including the stake in the primary company."),
        new("Real estate", "Residential and commercial property held directly and through holding companies."),
        new("Cash and equivalents", "Deposits, money-market funds and short-dated government bonds."),
        new("Fixed income", "Investment-grade corporate and sovereign bond portfolios."),
        new("Alternative investments", "Hedge funds, private credit and venture capital commitments."),
        new("Art and collectibles", "Paintings, sculpture, classic cars and other collectibles at estimated value."),
        new("Aircraft and yachts", "Private aircraft and yachts at estimated market value."),
    ];

    public static IReadOnlyList<string> WealthSources { get; } = ["Self-made", "Inherited", "Inherited and growing", "Self-made and inherited"];

    public static IReadOnlyList<string> MaritalStatuses { get; } = ["Married", "Married", "Married", "Divorced", "Widowed", "Single", "Partnered"];

    public static IReadOnlyList<string> Occupations { get; } =
    [
        "Philanthropist", "Architect", "Physician", "Investor", "Art dealer", "Lawyer", "Entrepreneur",
        "Student", "Portfolio manager", "Designer", "Professor", "Diplomat", "Journalist", "Executive",
    ];

    public static IReadOnlyList<string> ResidenceTypes { get; } = ["Holiday home", "Pied-a-terre", "Country estate", "Ski chalet", "Beach villa"];

    public static IReadOnlyList<string> Adjectives { get; } = ["disciplined", "low-profile", "hands-on", "contrarian", "long-term", "value-oriented", "highly connected", "media-shy"];

    public static IReadOnlyList<string> Channels { get; } = ["Via assistant", "Email", "Phone", "Through family office", "In person only"];

    public static IReadOnlyList<string> UpdateReasons { get; } =
    [
        "a revaluation of private holdings after a financing round",
        "the disposal of a minority stake to a strategic investor",
        "a share price movement in the primary listed holding",
        "new regulatory filings disclosing additional property holdings",
        "a dividend recapitalisation at the primary company",
        "the acquisition of a competitor announced in the trade press",
    ];
}
