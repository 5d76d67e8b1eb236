/**
 * Demo data of our own making, written on first load: customers in seven languages, their
 * timelines, two pipelines with deals, campaigns, and tickets under an SLA policy. The
 * content is fixed; dates are placed relative to the moment of seeding so charts and SLA
 * states always have something current to show.
 */
import type { DemoCrm } from './app';

// `Campaign` is not exported from `rapport` yet; take it from the API.
type Campaign = Awaited<ReturnType<DemoCrm['campaigns']['create']>>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const eur = (euros: number) => ({ amount: euros * 100, currency: 'EUR' });

/** Seed an empty CRM; returns false when it already holds customers. */
export async function seedIfEmpty(crm: DemoCrm, now = Date.now()): Promise<boolean> {
  if ((await crm.customers.count()) > 0) return false;
  const at = (days: number, hours = 0) => new Date(now + days * DAY + hours * HOUR).toISOString();

  const campaigns = await crm.campaigns.createMany([
    { name: 'Spring newsletter', channel: 'email', status: 'completed', cost: eur(1_500), startsAt: at(-150), endsAt: at(-120) },
    { name: 'İstanbul trade fair', channel: 'event', status: 'completed', cost: eur(12_000), startsAt: at(-100), endsAt: at(-97) },
    { name: 'Search ads APAC', channel: 'ads', status: 'active', cost: eur(6_000), startsAt: at(-80) },
    { name: 'Referral programme', channel: 'referral', status: 'active', cost: eur(800), startsAt: at(-200) },
  ]);
  const [spring, fair, ads, referral] = campaigns as [Campaign, Campaign, Campaign, Campaign];
  const source = (c: Campaign) => ({ campaignId: c.id, ...(c.channel ? { channel: c.channel } : {}) });

  const people = await crm.customers.createMany([
    { kind: 'organization', name: 'Acme Lojistik A.Ş.', emails: [{ address: 'info@acme-lojistik.com.tr' }], phones: [{ number: '+90 212 555 01 01' }], addresses: [{ city: 'İstanbul', country: 'TR' }], tier: 'vip', tags: ['wholesale', 'logistics'], lifecycle: 'customer', source: source(fair), notes: 'Yıllık sözleşme Mart ayında yenilenecek.', custom: { segment: 'enterprise', creditLimit: eur(250_000) }, teamId: 'emea', ownerId: 'u-mina' },
    { name: 'Mehmet Yılmaz', emails: [{ address: 'mehmet@acme-lojistik.com.tr' }], phones: [{ number: '+90 532 123 45 67' }], addresses: [{ city: 'İzmir', country: 'TR' }], tier: 'gold', tags: ['wholesale'], lifecycle: 'customer', source: source(fair), notes: 'Öğleden sonra aranmayı tercih ediyor.', custom: { segment: 'mid-market', creditLimit: eur(40_000) }, teamId: 'emea', ownerId: 'u-cem' },
    { name: 'Ayşe Kaya', emails: [{ address: 'ayse.kaya@example.com.tr' }], phones: [{ number: '+90 533 765 43 21' }], addresses: [{ city: 'Ankara', country: 'TR' }], tier: 'standard', tags: ['retail'], lifecycle: 'lead', source: source(spring), teamId: 'emea', ownerId: 'u-cem' },
    { name: 'سارا احمدی', emails: [{ address: 'sara@example.ir' }], phones: [{ number: '+98 912 345 6789' }], addresses: [{ city: 'تهران', country: 'IR' }], tier: 'vip', tags: ['wholesale'], lifecycle: 'customer', source: source(referral), notes: 'سفارش‌ها را همیشه قبل از نوروز ثبت می‌کند.', custom: { segment: 'enterprise', creditLimit: eur(90_000) }, teamId: 'emea', ownerId: 'u-mina' },
    { name: 'علی رضایی', emails: [{ address: 'ali.rezaei@example.ir' }], addresses: [{ city: 'اصفهان', country: 'IR' }], tier: 'standard', tags: ['retail'], lifecycle: 'prospect', source: source(spring), teamId: 'emea' },
    { name: '王小明', emails: [{ address: 'xiaoming@example.cn' }], phones: [{ number: '+86 138 0013 8000' }], addresses: [{ city: '北京市朝阳区', country: 'CN' }], tier: 'gold', tags: ['wholesale', 'electronics'], lifecycle: 'customer', source: source(ads), notes: '希望下季度增加订单量。', custom: { segment: 'enterprise', creditLimit: eur(120_000) }, teamId: 'apac' },
    { name: '李娜', emails: [{ address: 'li.na@example.cn' }], addresses: [{ city: '上海', country: 'CN' }], tier: 'standard', tags: ['electronics'], lifecycle: 'lead', source: source(ads), teamId: 'apac' },
    { name: 'Анна Петрова', emails: [{ address: 'anna@example.ru' }], phones: [{ number: '+7 495 123-45-67' }], addresses: [{ city: 'Москва', country: 'RU' }], tier: 'gold', tags: ['retail'], lifecycle: 'customer', source: source(referral), notes: 'Просит счета на русском языке.', custom: { segment: 'mid-market', creditLimit: eur(30_000) }, teamId: 'emea' },
    { name: 'Дмитрий Соколов', emails: [{ address: 'd.sokolov@example.ru' }], addresses: [{ city: 'Санкт-Петербург', country: 'RU' }], tier: 'standard', tags: ['logistics'], lifecycle: 'prospect', source: source(spring), teamId: 'emea' },
    { name: 'Nguyễn Văn An', emails: [{ address: 'an.nguyen@example.vn' }], phones: [{ number: '+84 912 345 678' }], addresses: [{ city: 'Hà Nội', country: 'VN' }], tier: 'vip', tags: ['wholesale', 'electronics'], lifecycle: 'customer', source: source(ads), notes: 'Muốn giao hàng trước Tết.', custom: { segment: 'enterprise', creditLimit: eur(75_000) }, teamId: 'apac' },
    { name: 'Trần Thị Bích', emails: [{ address: 'bich.tran@example.vn' }], addresses: [{ city: 'Thành phố Hồ Chí Minh', country: 'VN' }], tier: 'standard', tags: ['retail'], lifecycle: 'lead', source: source(ads), teamId: 'apac' },
    { name: 'Maria dela Cruz', emails: [{ address: 'maria.delacruz@example.ph' }], phones: [{ number: '0917 555 0101' }], addresses: [{ city: 'Maynila', country: 'PH' }], tier: 'gold', tags: ['retail'], lifecycle: 'customer', source: source(referral), notes: 'Gusto niya ng mas mabilis na paghahatid.', custom: { segment: 'smb', creditLimit: eur(15_000) }, teamId: 'apac' },
    { name: 'Jose Bautista', emails: [{ address: 'jose.bautista@example.ph' }], addresses: [{ city: 'Lungsod ng Cebu', country: 'PH' }], tier: 'standard', tags: ['logistics'], lifecycle: 'prospect', source: source(ads), teamId: 'apac', ownerId: 'u-cem' },
    { name: 'Ada Lovelace', emails: [{ address: 'ada@example.co.uk' }], phones: [{ number: '+44 20 7946 0018' }], addresses: [{ city: 'London', country: 'GB' }], tier: 'vip', tags: ['wholesale'], lifecycle: 'customer', source: source(referral), notes: 'Prefers email; reads everything.', custom: { segment: 'enterprise', creditLimit: eur(60_000) }, teamId: 'emea' },
    { name: 'Grace Hopper', emails: [{ address: 'grace@example.com' }], addresses: [{ city: 'New York', country: 'US' }], tier: 'standard', tags: ['electronics'], lifecycle: 'lead', source: source(spring) },
  ]);
  const c = (name: string) => people.find((p) => p.name === name)!.id;

  // Each customer's timeline: what happened, plus one or two things planned.
  const subjects: [string, 'call' | 'email' | 'meeting' | 'note', string, number][] = [
    ['Acme Lojistik A.Ş.', 'meeting', 'Yıllık sözleşme görüşmesi', -40], ['Acme Lojistik A.Ş.', 'email', 'Teklif gönderildi', -12],
    ['Mehmet Yılmaz', 'call', 'Tanışma görüşmesi', -30], ['Mehmet Yılmaz', 'email', 'Fiyat listesi talebi', -9], ['Mehmet Yılmaz', 'note', 'Depo ziyareti için uygun', -3],
    ['Ayşe Kaya', 'email', 'Bülten kaydı', -60],
    ['سارا احمدی', 'call', 'تماس معرفی', -25], ['سارا احمدی', 'meeting', 'جلسه در تهران', -11],
    ['علی رضایی', 'email', 'درخواست کاتالوگ', -8],
    ['王小明', 'call', '初次通话', -35], ['王小明', 'meeting', '北京工厂参观', -14],
    ['李娜', 'email', '询价', -6],
    ['Анна Петрова', 'call', 'Знакомство', -28], ['Анна Петрова', 'email', 'Счёт за апрель', -5],
    ['Дмитрий Соколов', 'call', 'Первый звонок', -16],
    ['Nguyễn Văn An', 'meeting', 'Gặp mặt tại Hà Nội', -22], ['Nguyễn Văn An', 'call', 'Xác nhận đơn hàng', -4],
    ['Trần Thị Bích', 'email', 'Hỏi giá', -10],
    ['Maria dela Cruz', 'call', 'Unang tawag', -19], ['Maria dela Cruz', 'email', 'Kumpirmasyon ng order', -2],
    ['Jose Bautista', 'note', 'Nakilala sa trade fair', -33],
    ['Ada Lovelace', 'email', 'Analytical engine spares', -45], ['Ada Lovelace', 'call', 'Quarterly review', -7],
    ['Grace Hopper', 'email', 'Compiler tooling enquiry', -3],
  ];
  for (const [name, type, subject, days] of subjects) {
    await crm.interactions.log({ type, customerId: c(name), subject, occurredAt: at(days, 10), outcome: 'successful', ...(type === 'note' ? {} : { direction: 'outbound' as const }) });
  }
  await crm.interactions.plan({ type: 'meeting', customerId: c('Mehmet Yılmaz'), subject: 'İzmir depo ziyareti', dueAt: at(5, 11) });
  await crm.interactions.plan({ type: 'call', customerId: c('Анна Петрова'), subject: 'Продление договора', dueAt: at(2, 9) });
  await crm.interactions.plan({ type: 'task', customerId: c('Ada Lovelace'), subject: 'Send the renewal quote', dueAt: at(1, 15) });

  const newBusiness = await crm.pipelines.create({
    name: 'New business',
    stages: [
      { id: 'lead', name: 'Lead', probability: 0.1, category: 'open' },
      { id: 'qualified', name: 'Qualified', probability: 0.3, category: 'open' },
      { id: 'proposal', name: 'Proposal', probability: 0.6, category: 'open', forecastCategory: 'bestCase' },
      { id: 'negotiation', name: 'Negotiation', probability: 0.8, category: 'open', forecastCategory: 'commit' },
      { id: 'won', name: 'Won', probability: 1, category: 'won' },
      { id: 'lost', name: 'Lost', probability: 0, category: 'lost' },
    ],
  });
  const renewals = await crm.pipelines.create({
    name: 'Renewals',
    stages: [
      { id: 'due', name: 'Due', probability: 0.5, category: 'open' },
      { id: 'quoted', name: 'Quoted', probability: 0.7, category: 'open', forecastCategory: 'bestCase' },
      { id: 'committed', name: 'Committed', probability: 0.9, category: 'open', forecastCategory: 'commit' },
      { id: 'renewed', name: 'Renewed', probability: 1, category: 'won' },
      { id: 'churned', name: 'Churned', probability: 0, category: 'lost' },
    ],
  });

  type D = [title: string, customer: string, pipeline: string, stage: string, euros: number, days: number, campaign?: Campaign];
  const deals: D[] = [
    ['Acme — fleet tracking, 40 trucks', 'Acme Lojistik A.Ş.', newBusiness.id, 'negotiation', 48_000, 25, fair],
    ['Yılmaz — warehouse scanners', 'Mehmet Yılmaz', newBusiness.id, 'proposal', 12_500, 40, fair],
    ['Kaya — starter pack', 'Ayşe Kaya', newBusiness.id, 'lead', 2_400, 70, spring],
    ['رضایی — catalogue order', 'علی رضایی', newBusiness.id, 'qualified', 6_800, 55, spring],
    ['李娜 — pilot', '李娜', newBusiness.id, 'lead', 4_200, 90, ads],
    ['Соколов — route planning', 'Дмитрий Соколов', newBusiness.id, 'qualified', 9_900, 35, spring],
    ['Bích — retail bundle', 'Trần Thị Bích', newBusiness.id, 'proposal', 5_600, 20, ads],
    ['Bautista — cold chain', 'Jose Bautista', newBusiness.id, 'lead', 7_300, 110, ads],
    ['Hopper — compiler licences', 'Grace Hopper', newBusiness.id, 'qualified', 15_000, 60, spring],
    ['احمدی — Nowruz stock', 'سارا احمدی', newBusiness.id, 'won', 22_000, -95, referral],
    ['王小明 — factory sensors', '王小明', newBusiness.id, 'won', 31_000, -60, ads],
    ['Nguyễn — Tết shipment', 'Nguyễn Văn An', newBusiness.id, 'won', 18_500, -30, ads],
    ['Петрова — shop fit-out', 'Анна Петрова', newBusiness.id, 'lost', 8_000, -75, referral],
    ['dela Cruz — delivery vans', 'Maria dela Cruz', newBusiness.id, 'lost', 11_000, -45, referral],
    ['Lovelace — spares', 'Ada Lovelace', newBusiness.id, 'lost', 3_500, -20, referral],
    ['Acme — annual support', 'Acme Lojistik A.Ş.', renewals.id, 'committed', 20_000, 15, fair],
    ['Lovelace — support renewal', 'Ada Lovelace', renewals.id, 'quoted', 6_000, 45],
    ['Петрова — licence renewal', 'Анна Петрова', renewals.id, 'due', 4_000, 80],
    ['dela Cruz — renewal', 'Maria dela Cruz', renewals.id, 'renewed', 3_000, -50, referral],
    ['王小明 — support renewal', '王小明', renewals.id, 'churned', 5_000, -110],
  ];
  const closed = new Set(['won', 'lost', 'renewed', 'churned']);
  await crm.deals.createMany(
    deals.map(([title, customer, pipelineId, stageId, euros, days, campaign]) => ({
      title,
      customerId: c(customer),
      pipelineId,
      stageId,
      value: eur(euros),
      openedAt: at(closed.has(stageId) ? days - 60 : -30),
      ...(closed.has(stageId) ? { closedAt: at(days) } : { expectedCloseAt: at(days) }),
      ...(stageId === 'lost' || stageId === 'churned' ? { lostReason: 'Chose a competitor' } : {}),
      ...(campaign ? { campaignId: campaign.id } : {}),
      ownerId: ['u-mina', 'u-cem', 'u-eda'][title.length % 3]!,
      teamId: ['TR', 'IR', 'RU'].some((k) => people.find((p) => p.id === c(customer))?.addresses[0]?.country === k) ? 'emea' : 'apac',
    })),
  );

  // SLA: urgent and high around the clock, normal and low in business hours.
  await crm.tickets.setSlaPolicy({ priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 4 * 60 });
  await crm.tickets.setSlaPolicy({ priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 8 * 60 });
  const office = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' } as const;
  await crm.tickets.setSlaPolicy({ priority: 'normal', firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 9 * 60, businessHours: { ...office, days: [...office.days] } });
  await crm.tickets.setSlaPolicy({ priority: 'low', firstResponseMinutes: 9 * 60, resolutionMinutes: 10 * 9 * 60, businessHours: { ...office, days: [...office.days] }, pauseWhilePending: true });

  type T = [subject: string, customer: string, priority: 'low' | 'normal' | 'high' | 'urgent', hoursAgo: number, category: string, responded?: boolean, then?: 'start' | 'pend' | 'resolve'];
  const tickets: T[] = [
    ['Tracking portal is down', 'Acme Lojistik A.Ş.', 'urgent', 3.6, 'outage', true, 'start'],
    ['Scanner firmware fails to update', 'Mehmet Yılmaz', 'high', 30, 'technical'],
    ['فاکتور اشتباه است', 'سارا احمدی', 'high', 7.5, 'billing', true],
    ['传感器读数异常', '王小明', 'urgent', 0.25, 'technical'],
    ['Счёт выставлен дважды', 'Анна Петрова', 'normal', 2, 'billing', true, 'pend'],
    ['Giao hàng bị chậm', 'Nguyễn Văn An', 'normal', 50, 'delivery', true, 'resolve'],
    ['Hindi dumating ang order', 'Maria dela Cruz', 'low', 4, 'delivery'],
    ['Password reset e-mail never arrives', 'Ada Lovelace', 'low', 1, 'account'],
  ];
  for (const [subject, customer, priority, hoursAgo, category, responded, then] of tickets) {
    const t = await crm.tickets.open({ subject, customerId: c(customer), priority, category, channel: 'email', openedAt: at(0, -hoursAgo) });
    if (responded) await crm.interactions.log({ type: 'email', direction: 'outbound', customerId: c(customer), ticketId: t.id, subject: `Re: ${subject}`, occurredAt: at(0, -hoursAgo + 0.2) });
    if (then === 'start') await crm.tickets.start(t.id);
    if (then === 'pend') await crm.tickets.pend(t.id);
    if (then === 'resolve') await crm.tickets.resolve(t.id, { resolution: 'Shipment re-routed via Hải Phòng' });
  }
  return true;
}
