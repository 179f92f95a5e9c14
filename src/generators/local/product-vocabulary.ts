/**
 * Category-aware product words, so that an ecommerce schema with no hints gives "Wireless
 * Noise-Cancelling Headphones" under Electronics and "Non-Slip Yoga Mat" under Sports rather
 * than faker's category-blind "Tasty Plastic Towels".
 */
export interface ProductFamily {
  /** Lower-case words that map a category value to this family. */
  match: readonly string[];
  adjectives: readonly string[];
  nouns: readonly string[];
  /** Short selling points, used for feature lists and descriptions. */
  features: readonly string[];
  /** What the product is for, completing "Designed for ...". */
  uses: readonly string[];
  brands: readonly string[];
}

export const productFamilies = {
  Electronics: {
    match: ['electronic', 'tech', 'gadget', 'computer', 'audio', 'phone', 'camera'],
    adjectives: ['Wireless', 'Smart', 'Portable', 'Compact', 'Ultra-Slim', 'Noise-Cancelling', '4K', 'Rechargeable', 'Bluetooth', 'Pro'],
    nouns: [
      'Headphones',
      'Earbuds',
      'Bluetooth Speaker',
      'Smartwatch',
      'Laptop',
      'Tablet',
      'Webcam',
      'Monitor',
      'Mechanical Keyboard',
      'Gaming Mouse',
      'Power Bank',
      'Wi-Fi Router',
      'Action Camera',
      'E-Reader',
      'Fast Charger',
      'Drone',
    ],
    features: [
      'Bluetooth 5.3',
      'USB-C fast charging',
      '30-hour battery life',
      'Active noise cancellation',
      'Water resistant (IPX5)',
      'Built-in microphone',
      'Full HD display',
      'Voice assistant support',
      'Wi-Fi 6 connectivity',
      '2-year warranty',
      'Low-latency mode',
      'Multi-device pairing',
    ],
    uses: ['work and play', 'travel and commuting', 'home offices', 'gaming sessions', 'everyday streaming'],
    brands: ['Voltix', 'Nexa', 'Auralis', 'Brightline', 'Kinetiq', 'Lumora', 'Zenith', 'Orbitek'],
  },
  Home: {
    match: ['home', 'kitchen', 'furniture', 'house', 'garden', 'decor', 'living'],
    adjectives: ['Modern', 'Rustic', 'Minimalist', 'Cozy', 'Stainless Steel', 'Ceramic', 'Bamboo', 'Handwoven', 'Non-Stick', 'Scandinavian'],
    nouns: [
      'Table Lamp',
      'Throw Blanket',
      'Cookware Set',
      'Coffee Maker',
      'Bath Towels',
      'Storage Baskets',
      'Dining Chair',
      'Wall Clock',
      'Knife Block',
      'Area Rug',
      'Blender',
      'Plant Pot',
      'Bookshelf',
      'Pillow Set',
    ],
    features: [
      'Dishwasher safe',
      'Easy to assemble',
      'Machine washable',
      'Eco-friendly materials',
      'Space-saving design',
      'Non-toxic coating',
      'Scratch resistant',
      'Includes mounting hardware',
      'Energy efficient',
      'Stain resistant fabric',
      'BPA free',
    ],
    uses: ['living rooms', 'small apartments', 'family kitchens', 'bedrooms', 'everyday cooking'],
    brands: ['Hearthwell', 'Casa Nova', 'Oakline', 'Nordhem', 'Willow & Co', 'Homestead'],
  },
  Books: {
    match: ['book', 'literature', 'novel', 'reading', 'media'],
    adjectives: ['The Silent', 'The Last', 'A Brief History of', 'The Hidden', 'Beyond the', 'The Art of', 'Lessons from the', 'The Secret', 'Under the', 'The Lost'],
    nouns: ['Garden', 'River', 'Kingdom', 'Mind', 'Ocean', 'Algorithm', 'Lighthouse', 'Mountain', 'Empire', 'Orchard', 'Machine', 'Library', 'Star', 'City'],
    features: [
      'Hardcover edition',
      'Paperback',
      '320 pages',
      'Illustrated',
      'Includes reading guide',
      'Bestseller',
      'Large print',
      'Award-winning author',
      'First edition',
      'Annotated',
      'Ebook included',
    ],
    uses: ['curious readers', 'book clubs', 'long weekends', 'students', 'quiet evenings'],
    brands: ['Penwright Press', 'Northfield Books', 'Inkstone', 'Harbor House', 'Quillmark'],
  },
  Toys: {
    match: ['toy', 'game', 'kid', 'child', 'baby', 'puzzle', 'hobby'],
    adjectives: ['Colorful', 'Educational', 'Interactive', 'Wooden', 'Plush', 'Remote-Control', 'Magnetic', 'Glow-in-the-Dark', 'STEM', 'Deluxe'],
    nouns: ['Building Blocks', 'Puzzle', 'Teddy Bear', 'Race Car', 'Dollhouse', 'Board Game', 'Train Set', 'Action Figure', 'Art Kit', 'Robot Kit', 'Play Tent', 'Card Game'],
    features: [
      'Ages 3+',
      'Non-toxic paint',
      'Batteries included',
      '500 pieces',
      'Develops motor skills',
      'Award-winning design',
      'Safe rounded edges',
      'For 2-6 players',
      'Washable',
      'Storage box included',
    ],
    uses: ['family game nights', 'curious kids', 'rainy afternoons', 'classrooms', 'birthday gifts'],
    brands: ['Playwise', 'Tinker Tots', 'Brightbox', 'Kiddo Lab', 'Funfolk'],
  },
  Sports: {
    match: ['sport', 'fitness', 'outdoor', 'exercise', 'gym', 'athlet', 'camping'],
    adjectives: ['Lightweight', 'Non-Slip', 'Adjustable', 'Breathable', 'Professional', 'Foldable', 'Heavy-Duty', 'Waterproof', 'Insulated', 'Carbon'],
    nouns: [
      'Yoga Mat',
      'Running Shoes',
      'Dumbbell Set',
      'Tennis Racket',
      'Football',
      'Cycling Helmet',
      'Water Bottle',
      'Resistance Bands',
      'Hiking Backpack',
      'Jump Rope',
      'Basketball',
      'Camping Tent',
    ],
    features: [
      'Sweat-wicking fabric',
      'Shock-absorbing sole',
      'Adjustable strap',
      'Ultralight build',
      'Anti-slip grip',
      'UV protection',
      'Includes carry bag',
      'Reinforced stitching',
      'Quick-dry material',
      'Official size and weight',
    ],
    uses: ['daily workouts', 'weekend hikes', 'team practice', 'home gyms', 'marathon training'],
    brands: ['Stridex', 'Peakform', 'Trailhawk', 'Velocita', 'Ironleaf'],
  },
  Clothing: {
    match: ['cloth', 'apparel', 'fashion', 'wear', 'shoe', 'accessor'],
    adjectives: ['Slim-Fit', 'Classic', 'Organic Cotton', 'Oversized', 'Linen', 'Merino Wool', 'Vintage', 'Waterproof', 'Stretch', 'Quilted'],
    nouns: ['T-Shirt', 'Jeans', 'Hoodie', 'Rain Jacket', 'Sneakers', 'Dress', 'Scarf', 'Chinos', 'Sweater', 'Leather Belt', 'Beanie'],
    features: ['Machine washable', 'Breathable fabric', 'Relaxed fit', 'Sustainably sourced', 'Hidden pockets', 'Wrinkle resistant', 'Available in 6 colors', 'Tagless comfort'],
    uses: ['everyday wear', 'cool evenings', 'the office', 'weekend outings', 'travel'],
    brands: ['Threadline', 'Northloom', 'Urban Fold', 'Maison Rue', 'Kestrel'],
  },
  Beauty: {
    match: ['beauty', 'cosmetic', 'personal care', 'health', 'skin'],
    adjectives: ['Hydrating', 'Organic', 'Fragrance-Free', 'Vitamin C', 'Gentle', 'Revitalizing', 'Mineral', 'Overnight'],
    nouns: ['Face Serum', 'Moisturizer', 'Shampoo', 'Lip Balm', 'Sunscreen SPF 50', 'Body Lotion', 'Face Mask', 'Hair Oil', 'Cleanser'],
    features: ['Dermatologist tested', 'Cruelty free', 'Vegan formula', 'Paraben free', 'Suitable for sensitive skin', 'Recyclable packaging', '50 ml'],
    uses: ['daily routines', 'sensitive skin', 'dry climates', 'self-care evenings'],
    brands: ['Luma Skin', 'Verdance', 'Pure Petal', 'Aurelle'],
  },
  Grocery: {
    match: ['grocery', 'food', 'drink', 'beverage', 'snack', 'pantry'],
    adjectives: ['Organic', 'Roasted', 'Gluten-Free', 'Artisan', 'Cold-Pressed', 'Wholegrain', 'Single-Origin', 'Sugar-Free'],
    nouns: ['Coffee Beans', 'Olive Oil', 'Granola', 'Green Tea', 'Dark Chocolate', 'Pasta', 'Honey', 'Trail Mix', 'Hot Sauce'],
    features: ['Non-GMO', 'Fair trade', 'Resealable bag', 'No added sugar', '500 g', 'Locally sourced', 'Vegan'],
    uses: ['busy mornings', 'healthy snacking', 'home cooks', 'gift baskets'],
    brands: ['Golden Field', 'Harvest Lane', 'Bramble & Oak', 'Sunmill'],
  },
} as const satisfies Record<string, ProductFamily>;

/** Used when a category value matches no family. */
export const genericFamily: ProductFamily = {
  match: [],
  adjectives: ['Premium', 'Classic', 'Everyday', 'Deluxe', 'Essential', 'Compact', 'Durable', 'Handcrafted'],
  nouns: ['Kit', 'Set', 'Organizer', 'Bundle', 'Collection', 'Accessory', 'Tool', 'Case'],
  features: ['Durable construction', '1-year warranty', 'Easy to use', 'Gift ready packaging', 'Lightweight', 'Satisfaction guaranteed'],
  uses: ['everyday use', 'gifts', 'home and travel'],
  brands: ['Evermade', 'Northstar', 'Simplex', 'Crestwood'],
};

const familyCache = new Map<unknown, ProductFamily>();

/** The family a category value belongs to (by name or keyword), or the generic one. Memoized: called per row. */
export function familyOf(category: unknown): ProductFamily {
  const cached = familyCache.get(category);
  if (cached) return cached;
  const text = String(category ?? '').toLowerCase();
  let found = genericFamily;
  for (const [name, family] of Object.entries(productFamilies) as [string, ProductFamily][]) {
    if (text === name.toLowerCase() || family.match.some((m) => text.includes(m))) {
      found = family;
      break;
    }
  }
  if (familyCache.size < 1000) familyCache.set(category, found);
  return found;
}

/** True when most enum values are product categories we know. */
export function looksLikeProductCategories(values: readonly unknown[]): boolean {
  const known = values.filter((v) => familyOf(v) !== genericFamily).length;
  return values.length > 0 && known * 2 >= values.length;
}
