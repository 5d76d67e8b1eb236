/**
 * Seeded, deterministic synthetic customers for the benchmarks: about 1 KB of JSON each, with
 * names in several scripts (Turkish, Persian, Chinese, Russian, Vietnamese, Tagalog, English),
 * emails, phones, tags, countries, a tier, numeric custom fields and creation dates.
 *
 * Record `i` is the same whatever `n` is asked for (each record has its own seeded stream), so
 * the 1k set is a prefix of the 10k set and scaling curves compare like with like. Ids are
 * ULIDs built from `createdAt`, so id order is creation order, as in a real CRM.
 *
 * Runs in Node and in the browser (no Node imports).
 */

/** A customer as the benchmarks generate it: rapport's create input plus the creation date. */
export interface BenchCustomer {
  id: string;
  /** When the customer was stored (rapport sets it through its clock; peers store it as given). */
  createdAt: string;
  kind: 'person' | 'organization';
  name: string;
  emails: { address: string; label?: string; primary?: boolean }[];
  phones: { number: string; label?: string; primary?: boolean }[];
  addresses: { label?: string; street?: string; city?: string; region?: string; postalCode?: string; country?: string }[];
  lifecycle: 'lead' | 'prospect' | 'customer' | 'churned';
  tier: string;
  tags: string[];
  source: { channel?: string; detail?: string };
  importantDates: { kind: string; date: string; label?: string }[];
  consent: Record<string, { status: 'granted' | 'denied' | 'unknown'; at: string; source?: string }>;
  notes?: string;
  ownerId: string;
  teamId: string;
  externalId: string;
  custom: { score: number; lifetimeValue: number; visits: number; nps: number };
}

/** Owners: 100, so one owner holds ~1% of the customers. Teams: 20 of 5 owners. */
export const OWNERS = 100;
export const TEAMS = 20;
export const TIERS = ['standard', 'silver', 'gold', 'vip'] as const;
/** The first record's creation time; each next one is 15 minutes (± jitter) later. */
export const BASE_TIME = Date.parse('2019-01-01T00:00:00.000Z');
export const STEP_MS = 900_000;

/** mulberry32: small, fast, good enough for synthetic data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pair = readonly [native: string, latin: string];
interface Script {
  key: string;
  weight: number;
  countries: readonly string[];
  cities: readonly Pair[];
  first: readonly Pair[];
  last: readonly Pair[];
  /** How a full name is written from given and family names. */
  full: (first: string, last: string) => string;
  domain: string;
  phone: (r: () => number) => string;
}

const digits = (r: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
};

const SCRIPTS: readonly Script[] = [
  {
    key: 'tr',
    weight: 16,
    countries: ['TR', 'TR', 'TR', 'DE', 'NL', 'AZ', 'CY'],
    cities: [['İstanbul', 'istanbul'], ['Ankara', 'ankara'], ['İzmir', 'izmir'], ['Bursa', 'bursa'], ['Eskişehir', 'eskisehir'], ['Diyarbakır', 'diyarbakir'], ['Muğla', 'mugla']],
    first: [['Mehmet', 'mehmet'], ['Ayşe', 'ayse'], ['Fatma', 'fatma'], ['Mustafa', 'mustafa'], ['Emine', 'emine'], ['Ahmet', 'ahmet'], ['Hatice', 'hatice'], ['Zeynep', 'zeynep'], ['Hüseyin', 'huseyin'], ['İbrahim', 'ibrahim'], ['Elif', 'elif'], ['Özge', 'ozge'], ['Çağla', 'cagla'], ['Gökhan', 'gokhan'], ['Şule', 'sule'], ['Burak', 'burak']],
    last: [['Yılmaz', 'yilmaz'], ['Kaya', 'kaya'], ['Demir', 'demir'], ['Şahin', 'sahin'], ['Çelik', 'celik'], ['Yıldız', 'yildiz'], ['Yıldırım', 'yildirim'], ['Öztürk', 'ozturk'], ['Aydın', 'aydin'], ['Özdemir', 'ozdemir'], ['Arslan', 'arslan'], ['Doğan', 'dogan'], ['Kılıç', 'kilic'], ['Aslan', 'aslan'], ['Çetin', 'cetin'], ['Koç', 'koc']],
    full: (f, l) => `${f} ${l}`,
    domain: 'ornek.com.tr',
    phone: (r) => `+90 5${digits(r, 2)} ${digits(r, 3)} ${digits(r, 2)} ${digits(r, 2)}`,
  },
  {
    key: 'fa',
    weight: 12,
    countries: ['IR', 'IR', 'IR', 'AF', 'TJ', 'AE'],
    cities: [['تهران', 'tehran'], ['اصفهان', 'esfahan'], ['شیراز', 'shiraz'], ['مشهد', 'mashhad'], ['تبریز', 'tabriz'], ['کرج', 'karaj']],
    first: [['محمد', 'mohammad'], ['علی', 'ali'], ['حسین', 'hossein'], ['فاطمه', 'fatemeh'], ['زهرا', 'zahra'], ['مریم', 'maryam'], ['رضا', 'reza'], ['مهدی', 'mahdi'], ['سارا', 'sara'], ['نرگس', 'narges'], ['امیر', 'amir'], ['کیان', 'kian'], ['پریسا', 'parisa'], ['بهرام', 'bahram']],
    last: [['احمدی', 'ahmadi'], ['محمدی', 'mohammadi'], ['حسینی', 'hosseini'], ['رضایی', 'rezaei'], ['کریمی', 'karimi'], ['موسوی', 'mousavi'], ['جعفری', 'jafari'], ['صادقی', 'sadeghi'], ['رحیمی', 'rahimi'], ['کاظمی', 'kazemi'], ['نوری', 'nouri'], ['قاسمی', 'ghasemi']],
    full: (f, l) => `${f} ${l}`,
    domain: 'example.ir',
    phone: (r) => `+98 91${digits(r, 1)} ${digits(r, 3)} ${digits(r, 4)}`,
  },
  {
    key: 'zh',
    weight: 14,
    countries: ['CN', 'CN', 'CN', 'TW', 'SG', 'HK', 'MY'],
    cities: [['北京', 'beijing'], ['上海', 'shanghai'], ['广州', 'guangzhou'], ['深圳', 'shenzhen'], ['成都', 'chengdu'], ['杭州', 'hangzhou'], ['武汉', 'wuhan']],
    first: [['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['秀英', 'xiuying'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'], ['建华', 'jianhua']],
    last: [['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'], ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun']],
    full: (f, l) => `${l}${f}`,
    domain: 'example.cn',
    phone: (r) => `+86 1${digits(r, 2)} ${digits(r, 4)} ${digits(r, 4)}`,
  },
  {
    key: 'ru',
    weight: 14,
    countries: ['RU', 'RU', 'RU', 'KZ', 'BY', 'UA', 'AM'],
    cities: [['Москва', 'moskva'], ['Санкт-Петербург', 'spb'], ['Новосибирск', 'novosibirsk'], ['Екатеринбург', 'ekaterinburg'], ['Казань', 'kazan'], ['Самара', 'samara']],
    first: [['Александр', 'aleksandr'], ['Сергей', 'sergey'], ['Дмитрий', 'dmitriy'], ['Андрей', 'andrey'], ['Алексей', 'aleksey'], ['Мария', 'maria'], ['Елена', 'elena'], ['Ольга', 'olga'], ['Наталья', 'natalya'], ['Анна', 'anna'], ['Татьяна', 'tatyana'], ['Ирина', 'irina'], ['Юлия', 'yulia'], ['Фёдор', 'fedor']],
    last: [['Иванов', 'ivanov'], ['Смирнов', 'smirnov'], ['Кузнецов', 'kuznetsov'], ['Попов', 'popov'], ['Васильев', 'vasilyev'], ['Петров', 'petrov'], ['Соколов', 'sokolov'], ['Михайлов', 'mikhailov'], ['Новиков', 'novikov'], ['Фёдоров', 'fedorov'], ['Морозов', 'morozov'], ['Волков', 'volkov']],
    full: (f, l) => `${f} ${l}`,
    domain: 'primer.ru',
    phone: (r) => `+7 9${digits(r, 2)} ${digits(r, 3)}-${digits(r, 2)}-${digits(r, 2)}`,
  },
  {
    key: 'vi',
    weight: 12,
    countries: ['VN', 'VN', 'VN', 'US', 'AU', 'FR'],
    cities: [['Hà Nội', 'hanoi'], ['Hồ Chí Minh', 'hcm'], ['Đà Nẵng', 'danang'], ['Hải Phòng', 'haiphong'], ['Cần Thơ', 'cantho'], ['Huế', 'hue']],
    first: [['Văn An', 'an'], ['Thị Bình', 'binh'], ['Minh Cường', 'cuong'], ['Đức Dũng', 'dung'], ['Thị Hà', 'ha'], ['Thị Hạnh', 'hanh'], ['Thu Hương', 'huong'], ['Thị Lan', 'lan'], ['Thùy Linh', 'linh'], ['Thị Mai', 'mai'], ['Văn Nam', 'nam'], ['Thị Phương', 'phuong'], ['Minh Quân', 'quan'], ['Thị Thảo', 'thao'], ['Quỳnh Trang', 'trang'], ['Anh Tuấn', 'tuan']],
    last: [['Nguyễn', 'nguyen'], ['Trần', 'tran'], ['Lê', 'le'], ['Phạm', 'pham'], ['Hoàng', 'hoang'], ['Huỳnh', 'huynh'], ['Phan', 'phan'], ['Vũ', 'vu'], ['Võ', 'vo'], ['Đặng', 'dang'], ['Bùi', 'bui'], ['Đỗ', 'do']],
    full: (f, l) => `${l} ${f}`,
    domain: 'vidu.vn',
    phone: (r) => `+84 9${digits(r, 1)} ${digits(r, 3)} ${digits(r, 4)}`,
  },
  {
    key: 'tl',
    weight: 12,
    countries: ['PH', 'PH', 'PH', 'US', 'SA', 'AE'],
    cities: [['Quezon City', 'quezon'], ['Maynila', 'manila'], ['Cebu', 'cebu'], ['Davao', 'davao'], ['Taguig', 'taguig'], ['Iloilo', 'iloilo']],
    first: [['Jose', 'jose'], ['Maria', 'maria'], ['Juan', 'juan'], ['Ana', 'ana'], ['Mark', 'mark'], ['Angelica', 'angelica'], ['Jerome', 'jerome'], ['Kristine', 'kristine'], ['Ramon', 'ramon'], ['Lourdes', 'lourdes'], ['Rizalino', 'rizalino'], ['Maricel', 'maricel'], ['Dalisay', 'dalisay'], ['Bayani', 'bayani']],
    last: [['dela Cruz', 'delacruz'], ['Santos', 'santos'], ['Reyes', 'reyes'], ['Garcia', 'garcia'], ['Bautista', 'bautista'], ['Ocampo', 'ocampo'], ['Mendoza', 'mendoza'], ['Villanueva', 'villanueva'], ['Aquino', 'aquino'], ['Castillo', 'castillo'], ['Ramos', 'ramos'], ['Tolentino', 'tolentino']],
    full: (f, l) => `${f} ${l}`,
    domain: 'halimbawa.ph',
    phone: (r) => `+63 9${digits(r, 2)} ${digits(r, 3)} ${digits(r, 4)}`,
  },
  {
    key: 'en',
    weight: 20,
    countries: ['US', 'US', 'GB', 'CA', 'AU', 'IE', 'NZ', 'ZA'],
    cities: [['New York', 'newyork'], ['London', 'london'], ['Toronto', 'toronto'], ['Sydney', 'sydney'], ['Dublin', 'dublin'], ['Auckland', 'auckland'], ['Chicago', 'chicago']],
    first: [['James', 'james'], ['Mary', 'mary'], ['Robert', 'robert'], ['Patricia', 'patricia'], ['John', 'john'], ['Jennifer', 'jennifer'], ['Michael', 'michael'], ['Linda', 'linda'], ['William', 'william'], ['Elizabeth', 'elizabeth'], ['David', 'david'], ['Susan', 'susan'], ['Olivia', 'olivia'], ['Noah', 'noah'], ['Grace', 'grace'], ['Oliver', 'oliver']],
    last: [['Smith', 'smith'], ['Johnson', 'johnson'], ['Williams', 'williams'], ['Brown', 'brown'], ['Jones', 'jones'], ['Miller', 'miller'], ['Davis', 'davis'], ['Wilson', 'wilson'], ['Taylor', 'taylor'], ['Anderson', 'anderson'], ['Thomas', 'thomas'], ['Moore', 'moore'], ["O'Brien", 'obrien'], ['Walsh', 'walsh']],
    full: (f, l) => `${f} ${l}`,
    domain: 'example.com',
    phone: (r) => `+1 (${digits(r, 3)}) 555-${digits(r, 4)}`,
  },
];
const SCRIPT_TOTAL = SCRIPTS.reduce((s, x) => s + x.weight, 0);

const TAGS = [
  'wholesale', 'retail', 'newsletter', 'vip-event', 'b2b', 'b2c', 'reseller', 'partner', 'trial', 'churn-risk',
  'upsell', 'renewal', 'enterprise', 'smb', 'startup', 'nonprofit', 'education', 'government', 'healthcare', 'finance',
  'logistics', 'manufacturing', 'hospitality', 'fashion', 'food', 'travel', 'automotive', 'energy', 'media', 'telecom',
  'referral', 'webinar', 'trade-show', 'cold-call', 'inbound', 'outbound', 'high-touch', 'self-serve', 'annual', 'monthly',
] as const;
const CHANNELS = ['web', 'referral', 'event', 'ads', 'partner', 'email', 'phone'] as const;
const STREETS = ['Main Street', 'Station Road', 'Atatürk Caddesi', 'Khiaban-e Valiasr', 'Nanjing Road', 'Tverskaya ulitsa', 'Lê Lợi', 'Rizal Avenue', 'High Street', 'Park Avenue'];
const NOTE_WORDS = ['prefers', 'morning', 'calls', 'asked', 'about', 'bulk', 'pricing', 'follow', 'up', 'after', 'quarter', 'renewal', 'contract', 'delivery', 'invoice', 'sent', 'discount', 'meeting', 'demo', 'scheduled', 'happy', 'with', 'support', 'needs', 'onboarding'];

const ULID = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID for a time, with seeded randomness. */
export function ulidAt(ms: number, r: () => number): string {
  let t = ms;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ULID[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ULID[Math.floor(r() * 32)];
  return time + rand;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function pickScript(r: () => number): Script {
  let x = r() * SCRIPT_TOTAL;
  for (const s of SCRIPTS) {
    x -= s.weight;
    if (x < 0) return s;
  }
  return SCRIPTS[SCRIPTS.length - 1] as Script;
}

function tierOf(x: number): string {
  return x < 0.6 ? 'standard' : x < 0.8 ? 'silver' : x < 0.95 ? 'gold' : 'vip';
}

function lifecycleOf(x: number): BenchCustomer['lifecycle'] {
  return x < 0.35 ? 'lead' : x < 0.6 ? 'prospect' : x < 0.95 ? 'customer' : 'churned';
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Creation time of record `i` (strictly increasing in `i`). */
export function createdAtMs(i: number, seed = 1): number {
  const r = rng((seed * 0x9e3779b1) ^ (i * 0x85ebca6b) ^ 0x5bd1e995);
  return BASE_TIME + i * STEP_MS + Math.floor(r() * (STEP_MS / 2));
}

/** Customer number `i` of the data set with this seed. */
export function customerAt(i: number, seed = 1): BenchCustomer {
  const r = rng(((seed * 0x9e3779b1) ^ Math.imul(i + 1, 0x27d4eb2f)) >>> 0);
  const at = createdAtMs(i, seed);
  const script = pickScript(r);
  const [firstNative, firstLatin] = pick(r, script.first);
  const [lastNative, lastLatin] = pick(r, script.last);
  const organization = r() < 0.12;
  const name = organization ? `${script.full(firstNative, lastNative)} ${pick(r, ['Ltd', 'Co', 'Group', 'Trading'])}` : script.full(firstNative, lastNative);
  const n = Math.floor(r() * 1000);
  const email = `${firstLatin}.${lastLatin}${n}@${script.domain}`;
  const emails: BenchCustomer['emails'] = [{ address: email, label: 'work', primary: true }];
  if (r() < 0.5) emails.push({ address: `${firstLatin[0]}${lastLatin}${Math.floor(r() * 100)}@mail.example.org`, label: 'home' });
  const phones: BenchCustomer['phones'] = [{ number: script.phone(r), label: 'mobile', primary: true }];
  if (r() < 0.4) phones.push({ number: script.phone(r), label: 'work' });
  const [cityNative] = pick(r, script.cities);
  const country = pick(r, script.countries);
  const addresses: BenchCustomer['addresses'] = [
    { label: 'billing', street: `${1 + Math.floor(r() * 300)} ${pick(r, STREETS)}`, city: cityNative, postalCode: digits(r, 5), country },
  ];
  const tagCount = Math.floor(r() * 5);
  const tags = [...new Set(Array.from({ length: tagCount }, () => pick(r, TAGS)))];
  const ownerNo = Math.floor(r() * OWNERS);
  const birthday = r() < 0.5;
  const importantDates = birthday ? [{ kind: 'birthday', date: `${1950 + Math.floor(r() * 55)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` }] : [];
  const consentAt = iso(at - Math.floor(r() * 86_400_000));
  const consent: BenchCustomer['consent'] = {
    email: { status: r() < 0.7 ? 'granted' : 'denied', at: consentAt, source: 'signup-form' },
    sms: { status: r() < 0.4 ? 'granted' : 'unknown', at: consentAt },
  };
  const customer: BenchCustomer = {
    id: ulidAt(at, r),
    createdAt: iso(at),
    kind: organization ? 'organization' : 'person',
    name,
    emails,
    phones,
    addresses,
    lifecycle: lifecycleOf(r()),
    tier: tierOf(r()),
    tags,
    source: { channel: pick(r, CHANNELS), detail: `${script.key}-${pick(r, ['spring', 'summer', 'autumn', 'winter'])}-${2019 + Math.floor(r() * 6)}` },
    importantDates,
    consent,
    ownerId: `u-${String(ownerNo).padStart(3, '0')}`,
    teamId: `team-${String(Math.floor(ownerNo / (OWNERS / TEAMS))).padStart(2, '0')}`,
    externalId: `ext-${script.key}-${String(i).padStart(8, '0')}`,
    custom: {
      score: Math.floor(r() * 1000),
      lifetimeValue: Math.floor(r() * r() * 5_000_000),
      visits: Math.floor(r() * 200),
      nps: Math.floor(r() * 201) - 100,
    },
  };
  if (r() < 0.6) customer.notes = Array.from({ length: 8 + Math.floor(r() * 14) }, () => pick(r, NOTE_WORDS)).join(' ');
  return customer;
}

/** The first `n` customers. */
export function customers(n: number, seed = 1): BenchCustomer[] {
  const out = new Array<BenchCustomer>(n);
  for (let i = 0; i < n; i++) out[i] = customerAt(i, seed);
  return out;
}

/** rapport's create input for a customer (everything but `createdAt`, which rapport's clock sets). */
export function toInput(c: BenchCustomer): Omit<BenchCustomer, 'createdAt'> {
  const { createdAt: _createdAt, ...input } = c;
  return input;
}

/** Prefix searches over names and emails, one or more per script. */
export const SEARCHES = ['meh', 'yıl', 'özt', 'محم', 'کری', '王', '张伟', 'мар', 'иван', 'nguy', 'thị h', 'dela', 'bautis', 'olivia', 'william.s', 'jafari'] as const;
