import { TextArrayField, TextField } from '../http/fields';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A year's official schedule as the State Council publishes it: days off and the weekend days worked instead (调休). */
export class CalendarYearRequestDto {
  @TextArrayField({
    maxItems: 60,
    maxLength: 10,
    pattern: DATE,
    example: ['2027-01-01', '2027-02-05', '2027-02-06'],
    description: "the year's public holidays (放假), YYYY-MM-DD",
  })
  holidays: string[];

  @TextArrayField({
    maxItems: 20,
    maxLength: 10,
    pattern: DATE,
    example: ['2027-02-14'],
    description: 'weekend days that are working days (调休上班), YYYY-MM-DD',
  })
  workdays: string[];

  @TextField({ max: 500, example: '国务院办公厅关于2027年部分节假日安排的通知' })
  source: string;
}
